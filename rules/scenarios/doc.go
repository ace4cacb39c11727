// Package scenarios is the acceptance suite of Entra's client
// authentication rules: a table of named token requests, each with the
// directory it runs against and the AADSTS code Entra answers (0 when it
// accepts). It covers every failure of shared/spec/client-assertion-rules.md
// §2–§5 and §7.
//
// The same table runs through the rules package directly (its tests) and
// through the emulator over HTTP: each scenario carries the exact form a
// client posts, the URL it posts to and the directory. Certificates and keys
// are generated when the suite is built; nothing is read from disk and
// nothing is printed.
package scenarios
