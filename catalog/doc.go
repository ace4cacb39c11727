// Package catalog owns aadsts's knowledge of AADSTS error codes: for every
// code its name, category, OAuth error value, HTTP status and a meaning in
// our own words, and for the codes that have one a deep guide (causes with
// the evidence that points to each, fixes with concrete commands, how to
// verify, related codes, message variants and pitfalls).
//
// The knowledge lives in embedded data files, not Go literals:
// data/codes.tsv for the entries and guides/<code>.yaml for the deep guides
// (format in docs/guide-format.md). Default parses them once.
//
// The package does not parse pasted error text (that is errtext), does not
// rank causes for a given text (that is the diagnosis), never prints and
// never touches the network.
package catalog
