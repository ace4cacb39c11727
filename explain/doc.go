// Package explain combines what errtext read from a pasted error with the
// catalog into a report: for each code its name and meaning, the guide's
// causes ranked for this very text (prior plus the weights of the signals
// that match, with the evidence for each), the fixes with placeholders
// filled from the text's fields, how to verify, and Entra's error page. It
// also renders reports and catalog listings as text, markdown or JSON.
//
// It does not parse text (errtext does), hold any AADSTS knowledge of its
// own (the catalog does), print to a terminal it picked itself, or touch
// the network.
package explain
