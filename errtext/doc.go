// Package errtext turns pasted error text in any form into typed evidence:
// the AADSTS codes it carries, the primary code, the OAuth error value, the
// named fields (trace and correlation IDs, timestamps, app, tenant, key and
// assertion details...) and the form the text came in (token-endpoint JSON,
// an MSAL or Azure Identity exception, a browser sign-in page, a log line...).
//
// Before reading, it undoes what lies between Entra's response and the
// paste: JSON, HTML and URL escaping; markdown quotes, Terraform's box and
// CI log time stamps at line starts; links a rendered page put inside the
// text; markdown bold around values; a terminal's fixed-width wrapping
// (joined) and an editor's word wrapping (read again with the breaks as
// spaces). The rules are written for these forms, not for samples:
// testdata holds the labelled real pastes they are scored on.
//
// It reads text only: it knows nothing about what a code means or how to fix
// it (that is the catalog's job), never prints and never touches the network.
// Parsing is linear in the size of the input and never panics, whatever the
// input; field values are kept exactly as the text has them, and normalised
// forms (parsed times, lower-case GUIDs) are kept apart in Result.Normalised.
package errtext
