// Package e2e runs the aadsts web UI end to end: it builds the real binary,
// starts `aadsts serve` with a temporary sign-in store and the emulator, and
// drives it with headless Chromium through testing/node/e2e.mjs
// (playwright-core). It holds tests only.
package e2e
