// Client credentials with the real MSAL Node against an authority (the
// aadsts emulator in tests). Input comes from the environment so that no
// secret appears on a command line:
//   AUTHORITY    https://127.0.0.1:PORT/{tenant}
//   CLIENT_ID    the application (client) id
//   SCOPE        e.g. api://contoso-api/.default
//   CLIENT_SECRET                      secret credential, or
//   CERT_THUMBPRINT_SHA256 + KEY_FILE  certificate credential (PEM key)
// Trust the emulator's CA with NODE_EXTRA_CA_CERTS.
// Prints one JSON line: {"ok":true,"tokenType":...} or
// {"ok":false,"errorCode":...,"errorCodes":[...],"message":...}. Never the token.
import { readFileSync } from "node:fs";
import { ConfidentialClientApplication } from "@azure/msal-node";

const env = process.env;
const authority = env.AUTHORITY;
const host = new URL(authority).host;
const auth = { clientId: env.CLIENT_ID, authority, knownAuthorities: [host] };
if (env.CLIENT_SECRET) {
  auth.clientSecret = env.CLIENT_SECRET;
} else {
  auth.clientCertificate = {
    thumbprintSha256: env.CERT_THUMBPRINT_SHA256,
    privateKey: readFileSync(env.KEY_FILE, "utf8"),
  };
}
const app = new ConfidentialClientApplication({ auth });
try {
  const res = await app.acquireTokenByClientCredential({ scopes: [env.SCOPE] });
  const claims = JSON.parse(Buffer.from(res.accessToken.split(".")[1], "base64url").toString());
  console.log(JSON.stringify({ ok: true, tokenType: res.tokenType, aud: claims.aud, azp: claims.azp, azpacr: claims.azpacr }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, errorCode: e.errorCode, errorCodes: e.errorNo ? [Number(e.errorNo)] : [], message: String(e.errorMessage || e.message) }));
  process.exitCode = 1;
}
