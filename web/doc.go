// Package web owns the local web UI of `aadsts serve`: HTTP handlers,
// templates, static assets and server-side SVG charts, all embedded in the
// binary. It holds no domain logic: every page calls the same library
// packages as the CLI (errtext, explain, inspect, catalog, signins, audit,
// emulator) and renders their results. It must never echo a secret, a
// private key or a whole token back to the browser, and never keep pasted
// input unless the user imports it into the sign-in store.
package web
