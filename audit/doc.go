// Package audit owns credential hygiene rules over a directory: expired and
// expiring secrets and certificates, lifetimes longer than a policy,
// symmetric signing keys, secrets hidden on service principals, several
// active secrets, certificates whose customKeyIdentifier is not their SHA-1,
// weak or SHA-1-signed certificates, federated identity credentials that
// cannot match, clients asking for delegated permissions an API does not
// expose, and credentials without recent sign-ins.
//
// It is handed a *directory.Directory and the current time; it never
// fetches anything from the network itself (sign-in activity comes through
// the SignInActivity interface) and never prints. Report renderers write to
// the io.Writer they are given. Findings never hold secret values.
package audit
