// Shared setup for the browser tests: a tiny static server over the built example site
// and a headless Debian Chromium driven by playwright-core (no browser downloads).
import { chromium } from "playwright-core";
import { before, after } from "node:test";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The built site; `.ci/browser.sh` builds the example site and sets it. */
export const SITE_DIR = process.env.SPECSITE_SITE_DIR;
/** Where screenshots go. */
export const SCREENSHOT_DIR =
  process.env.SPECSITE_SCREENSHOT_DIR || path.join(os.tmpdir(), "specsite-browser-screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves a built site (SITE_DIR by default) on 127.0.0.1 at a free port; `served`
 * records every path and size. */
export async function startServer(dir = SITE_DIR) {
  if (!dir || !fs.existsSync(path.join(dir, "index.html"))) {
    throw new Error("SPECSITE_SITE_DIR must name a built site (run .ci/browser.sh)");
  }
  const root = fs.realpathSync(dir);
  const served = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      served.push({ path: url.pathname, bytes: body.length });
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}/`;
  return { base, served, close: () => new Promise((r) => server.close(r)) };
}

/** Headless Chromium. playwright gives every launch a fresh temporary profile
 * (`--user-data-dir`) and deletes it on close, so no state leaks between runs. */
export async function startBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, close: () => browser.close() };
}

/** A new page that records console errors, page errors and failed requests. */
export async function watchedPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, problems, context };
}

/** Horizontal overflow of the page: the widths of the document and the viewport, and
 * the elements sticking out past the right edge. */
export async function overflow(page) {
  return page.evaluate(() => {
    const el = document.documentElement;
    const width = el.clientWidth;
    const offenders = [];
    for (const e of document.body.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && getComputedStyle(e).position !== "fixed") {
        offenders.push(`${e.tagName.toLowerCase()}.${e.className} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: el.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 10) };
  });
}

export function screenshotPath(name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}

/** Registers hooks that start the server and the browser before a file's tests and stop
 * them after; the returned object holds them (`server`, `chrome`) once started. */
export function serveAndBrowse() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.chrome = await startBrowser();
  });
  after(async () => {
    await env.chrome?.close();
    await env.server?.close();
  });
  return env;
}
