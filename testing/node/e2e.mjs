// End-to-end test of the aadsts web UI in a real browser (Debian chromium
// driven by playwright-core). Run by testing/e2e (go test), which starts
// `aadsts serve` and passes everything through the environment:
//   BASE_URL, SHOT_DIR, ERROR_TEXT, EXPECT_CODE, CERT_FILE, EXPECT_SHA1,
//   SIGNIN_FILE, XSS_FILE, TOKEN_URL, CLIENT_ID, CLIENT_SECRET, FAULT_CODE,
//   CHROMIUM (default /usr/bin/chromium) and NODE_EXTRA_CA_CERTS (the
//   emulator's CA, downloaded from the console, for the token request).
// It prints one JSON line per check and exits non-zero when any fails.
import { chromium } from "playwright-core";
import path from "node:path";

const env = process.env;
const base = env.BASE_URL;
const results = [];
function record(name, ok, detail) {
  results.push({ name, ok, detail });
  console.log(JSON.stringify({ name, ok, detail }));
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()); });
page.setDefaultTimeout(30000); // generous: CI machines are often busy
const shot = (name, fullPage = true) => page.screenshot({ path: path.join(env.SHOT_DIR, name + ".png"), fullPage });

async function check(name, fn) {
  try { await fn(); } catch (e) { record(name, false, String(e && e.message || e).slice(0, 500)); }
}

// 1. Paste a real error and see its code and top cause.
await check("paste-error", async () => {
  await page.goto(base + "/");
  await page.getByLabel("Paste anything").fill(env.ERROR_TEXT);
  await page.getByRole("button", { name: "Diagnose" }).click();
  const code = await page.getByTestId("primary-code").textContent({ timeout: 30000 });
  const cause = await page.getByTestId("top-cause").textContent({ timeout: 30000 });
  await shot("diagnose-result");
  record("paste-error", code.includes(env.EXPECT_CODE) && cause.trim().length > 0, { code: code.trim(), cause: cause.trim().slice(0, 120) });
});

// 2. Upload a certificate and see its thumbprints.
await check("upload-cert", async () => {
  await page.goto(base + "/");
  await page.getByLabel("Or upload a file").setInputFiles(env.CERT_FILE);
  await page.getByRole("button", { name: "Diagnose" }).click();
  await page.getByRole("heading", { name: "Thumbprints" }).first().waitFor();
  const body = await page.locator("main").textContent();
  await shot("diagnose-certificate");
  record("upload-cert", body.toUpperCase().includes(env.EXPECT_SHA1.toUpperCase()), { found: body.length });
});

// 3. Import a shared sign-in sample and see the chart.
await check("import-signins", async () => {
  await page.goto(base + "/signins");
  await page.getByLabel("Sign-in export").setInputFiles(env.SIGNIN_FILE);
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("status").filter({ hasText: "Imported" }).waitFor({ timeout: 30000 });
  const chart = page.locator(".chart svg[role=img]");
  await chart.waitFor({ timeout: 30000 });
  const bars = await page.locator(".chart svg rect").count();
  await shot("signins");
  record("import-signins", bars > 0, { bars });
});

// 4. An XSS payload in a log record is shown as text and never runs.
await check("xss-as-text", async () => {
  await page.goto(base + "/signins");
  await page.getByLabel("Sign-in export").setInputFiles(env.XSS_FILE);
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("status").filter({ hasText: "Imported" }).waitFor({ timeout: 30000 });
  await page.goto(base + "/signins?by=app");
  const text = await page.locator("main").textContent();
  const fired = await page.evaluate(() => window.__xss === 1);
  const injected = await page.locator("main img[src=x], main script:not([src])").count();
  await shot("signins-xss");
  record("xss-as-text", !fired && injected === 0 && text.includes("<script>"), { fired, injected, shownAsText: text.includes("<script>") });
});

// 5. The emulator console injects a fault that the next token request receives.
await check("emulator-fault", async () => {
  await page.goto(base + "/emulator");
  await shot("emulator");
  await page.getByLabel("AADSTS code").fill(env.FAULT_CODE);
  await page.getByLabel("Requests").fill("1");
  await page.getByRole("button", { name: "Inject fault" }).click();
  await page.getByTestId("fault-list").waitFor({ timeout: 30000 });
  const resp = await fetch(env.TOKEN_URL, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: env.CLIENT_ID,
      client_secret: env.CLIENT_SECRET, scope: "https://graph.microsoft.com/.default" }),
  });
  const body = await resp.json();
  // The console's request log shows the failed request.
  await page.goto(base + "/emulator");
  const logged = await page.locator("#live-log").textContent();
  await shot("emulator-after-fault");
  record("emulator-fault", Array.isArray(body.error_codes) && body.error_codes.includes(Number(env.FAULT_CODE)) &&
    logged.includes("AADSTS" + env.FAULT_CODE),
    { status: resp.status, error_codes: body.error_codes, logged: logged.includes("AADSTS" + env.FAULT_CODE) });
});

// 6. Keyboard: the first Tab reaches the skip link, which moves focus to main.
await check("keyboard", async () => {
  await page.goto(base + "/");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  await page.keyboard.press("Enter");
  const inMain = await page.evaluate(() => document.activeElement && document.activeElement.id);
  record("keyboard", first.includes("Skip to content") && inMain === "main", { first, inMain });
});

// 7. Dark mode and a phone-sized screen: screenshots to look at.
await check("dark-and-mobile", async () => {
  const dark = await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  const dp = await dark.newPage();
  for (const [name, p] of [["home", "/"], ["signins", "/signins"], ["code-700027", "/codes/700027"], ["audit", "/audit"]]) {
    await dp.goto(base + p);
    await dp.screenshot({ path: path.join(env.SHOT_DIR, "dark-" + name + ".png"), fullPage: true });
  }
  await dark.close();
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const pp = await phone.newPage();
  let overflow = [];
  for (const [name, p] of [["home", "/"], ["signins", "/signins"], ["emulator", "/emulator"]]) {
    await pp.goto(base + p);
    await pp.screenshot({ path: path.join(env.SHOT_DIR, "mobile-" + name + ".png"), fullPage: true });
    const wide = await pp.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (wide) overflow.push(name);
  }
  await phone.close();
  record("dark-and-mobile", overflow.length === 0, { overflow });
});

// 8. More inputs on Diagnose, and a sign-in record, for the screenshots.
await check("more-inputs", async () => {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const jwt = b64({ alg: "RS256", typ: "JWT", kid: "e2e" }) + "." + b64({ aud: "https://graph.microsoft.com",
    iss: "https://sts.windows.net/11111111-2222-3333-4444-555555555555/", iat: now - 7200, nbf: now - 7200, exp: now - 3600,
    appid: env.CLIENT_ID, ver: "1.0", roles: ["Jobs.Run"] }) + "." + "c2lnbmF0dXJl".repeat(20);
  await page.goto(base + "/");
  await page.getByLabel("Paste anything").fill(jwt);
  await page.getByRole("button", { name: "Diagnose" }).click();
  await page.getByText("(redacted)").first().waitFor();
  const jwtShown = (await page.content()).includes(jwt);
  await shot("diagnose-jwt");
  await page.getByLabel("Paste anything").fill("curl -X POST " + env.TOKEN_URL + " -d grant_type=client_credentials -d client_id=" +
    env.CLIENT_ID + " -d client_secret=" + env.CLIENT_SECRET + " -d scope=https://graph.microsoft.com/user.read");
  await page.getByRole("button", { name: "Diagnose" }).click();
  await page.getByRole("heading", { name: "Token request" }).waitFor();
  const secretShown = (await page.content()).includes(env.CLIENT_SECRET);
  await shot("diagnose-request");
  await page.goto(base + "/signins?code=7000215");
  await page.locator("#recent a").first().click();
  await page.getByText("The record as imported").waitFor();
  await shot("signin-record");
  record("more-inputs", !jwtShown && !secretShown, { jwtShown, secretShown });
});

// 9. A screenshot of every page, with no script error on any.
await check("pages", async () => {
  for (const [name, p] of [["home", "/"], ["catalog", "/codes"], ["code-700027", "/codes/700027"], ["audit", "/audit"], ["signins-by-code", "/signins?by=code"]]) {
    await page.goto(base + p);
    await shot("page-" + name, name !== "catalog"); // the whole catalog is a very long page
  }
  record("pages", pageErrors.length === 0, { pageErrors });
});

await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
