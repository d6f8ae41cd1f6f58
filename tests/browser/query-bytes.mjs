// What one search downloads, measured in the browser: serves a built site, types a
// query into the search box of its home page, and adds up the index files the page
// fetched. Not a test; a measuring tool for large sites.
//
//   node query-bytes.mjs SITE_DIR "two words" ["another query" ...]
import fs from "node:fs";
import path from "node:path";
import { startServer, startBrowser, watchedPage } from "./harness.mjs";

const [dir, ...queries] = process.argv.slice(2);
if (!dir || queries.length === 0) {
  console.error('usage: node query-bytes.mjs SITE_DIR "query" ...');
  process.exit(2);
}
let total = 0;
for (const f of fs.readdirSync(path.join(dir, "search"), { recursive: true })) {
  const p = path.join(dir, "search", f);
  if (fs.statSync(p).isFile()) total += fs.statSync(p).size;
}
console.log(`index total: ${total} bytes`);
const server = await startServer(dir);
const chrome = await startBrowser();
try {
  for (const query of queries) {
    const { page, problems, context } = await watchedPage(chrome.browser);
    await page.goto(server.base, { waitUntil: "load" });
    server.served.length = 0;
    const started = Date.now();
    await page.locator("#search-input").fill(query);
    await page.waitForFunction(() => /result|No results/.test(document.getElementById("search-status").textContent), null, {
      timeout: 60000,
    });
    const elapsed = Date.now() - started;
    const index = server.served.filter((s) => s.path.startsWith("/search/"));
    const sum = (prefix) => index.filter((s) => s.path.startsWith(prefix)).reduce((a, s) => a + s.bytes, 0);
    const n = (prefix) => index.filter((s) => s.path.startsWith(prefix)).length;
    const status = await page.locator("#search-status").textContent();
    const rankMs = await page.locator("#search").getAttribute("data-rank-ms");
    console.log(
      `"${query}": ${status}; downloaded ${sum("/search/")} bytes in ${index.length} files ` +
        `(meta ${sum("/search/meta")}, ${n("/search/w/")} word chunks ${sum("/search/w/")}, ` +
        `${n("/search/d/")} fragments ${sum("/search/d/")}); ranking ${rankMs} ms; ${elapsed} ms end to end`,
    );
    if (problems.length) console.log("  problems:", problems.join("; "));
    await context.close();
  }
} finally {
  await chrome.close();
  await server.close();
}
