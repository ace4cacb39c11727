// Package web owns the local web UI of `aadsts serve`: HTTP handlers,
// templates, static assets and server-side SVG charts, all embedded in the
// binary (no CDN, no external font, no runtime Node). It holds no domain
// logic: every page calls the same library packages as the CLI (errtext and
// explain for pasted errors, inspect for tokens, certificates, keys and app
// JSON, diagnose for token requests, catalog, signins, audit and directory,
// emulator) and renders their results.
//
// Security is in the shape of the server: a strict Content-Security-Policy
// (scripts and styles only from /static, no inline code or style), CSRF on
// every state-changing request (a keyed double-submit token checked before
// any handler runs), html/template escaping of every value, upload limits
// per page under a global cap, and an access token when listening beyond
// loopback. It must never echo a secret, a private key, a PFX password or a
// whole token back to the browser (the library reports carry redacted forms,
// and quoted paste goes through scrub), and never keeps pasted input unless
// the user imports it into the sign-in store.
package web
