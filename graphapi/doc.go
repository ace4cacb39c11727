// Package graphapi is a small Microsoft Graph reader: it GETs collections,
// follows @odata.nextLink, honours 429 and 503 Retry-After, and turns the
// tenant's applications and service principals into a directory for the
// audit. Tokens come from a TokenSource; AzureIdentity builds one from
// Azure Identity credentials (client secret, certificate, Azure CLI,
// managed identity, or the default chain). It needs only
// Application.Read.All.
//
// It never writes to Graph, never prints, and never puts a token in an
// error or sends it to a host other than the base URL's.
package graphapi
