// Package directory owns the identity objects of an Entra tenant as Microsoft
// Graph shapes them: tenants, applications, service principals, users, key,
// password and federated identity credentials, app roles, delegated
// permission scopes, requiredResourceAccess, app role assignments and OAuth2
// permission grants.
//
// It reads them from the emulator's directory file (LoadFile, strict: unknown
// fields are errors and every problem is reported at once with its JSON
// path) and, leniently, from whatever users export (Read): Graph objects,
// single or in value lists and pages, az CLI output, Graph PowerShell
// ConvertTo-Json output with PascalCase keys, and the legacy Azure AD Graph
// 1.6 shape. It writes Graph JSON (MarshalGraph) with secrets always null.
//
// It must not serve HTTP, make network calls, print, or ever place a secret
// value in an error, a note or marshalled output.
package directory
