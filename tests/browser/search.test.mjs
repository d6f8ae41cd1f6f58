// Search in a real browser: results as you type, filters, keyboard, and what a query
// downloads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import path from "node:path";
import fs from "node:fs";
import { serveAndBrowse, watchedPage, overflow, screenshotPath, SITE_DIR } from "./harness.mjs";

const env = serveAndBrowse();

async function results(page) {
  return page.locator("#search-results li").evaluateAll((items) =>
    items.map((li) => ({
      title: li.querySelector(".sr-title").textContent,
      meta: li.querySelector(".sr-meta").textContent,
      excerpt: li.querySelector(".sr-excerpt").innerHTML,
      href: li.querySelector("a").getAttribute("href"),
    })),
  );
}

async function search(page, query) {
  const before = await page.locator("#search-status").textContent();
  await page.locator("#search-input").fill(query);
  await page.waitForFunction(
    (b) => {
      const s = document.getElementById("search-status").textContent;
      return s !== "" && s !== b;
    },
    before,
  );
  return results(page);
}

test("typing a query shows the expected spec with its status, owner and excerpt", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser);
  await page.goto(env.server.base + "decisions/", { waitUntil: "load" });
  // `/` focuses the box from anywhere on the page.
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.type("payment retr");
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0);
  const found = await results(page);
  assert.match(found[0].title, /Reliable payment retries/);
  assert.match(found[0].meta, /PAY-104 · feature shipped Omar Haddad · Payments/);
  assert.match(found[0].excerpt, /<mark>(payment|retr)/i, "the match is highlighted");
  assert.equal(found[0].href, "../features/pay-104/", "result links are relative to the page");
  const titles = found.map((r) => r.title);
  assert.ok(titles.some((t) => /durable workflows/.test(t)), titles.join(" | "));
  const rankMs = Number(await page.locator("#search").getAttribute("data-rank-ms"));
  assert.ok(rankMs < 100, `ranking took ${rankMs} ms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("filters narrow the results", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser);
  await page.goto(env.server.base, { waitUntil: "load" });
  const all = await search(page, "payment");
  const count = (s) => Number(s.match(/^(\d+)/)?.[1] ?? 0);
  const total = count(await page.locator("#search-status").textContent());
  // Ten at a time; "Show more results" loads the next ten.
  assert.equal(all.length, 10);
  assert.ok(total > 10, `${total} results`);
  await page.locator("#search-more").click();
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 10);
  assert.equal(await page.locator("#search-results li").count(), Math.min(20, total));
  assert.ok(all.some((r) => /· feature/.test(r.meta)) && all.some((r) => /· decision/.test(r.meta)));

  await page.locator("select[data-facet=kind]").selectOption({ label: "decision" });
  await page.waitForFunction((t) => {
    const n = parseInt(document.getElementById("search-status").textContent, 10);
    return n > 0 && n < t;
  }, total);
  const decisions = await results(page);
  assert.ok(decisions.length > 0 && decisions.every((r) => /· decision/.test(r.meta)), JSON.stringify(decisions));
  const afterKind = count(await page.locator("#search-status").textContent());

  await page.locator("select[data-facet=status]").selectOption({ label: "accepted" });
  await page.waitForFunction((t) => {
    const n = parseInt(document.getElementById("search-status").textContent, 10);
    return n > 0 && n < t;
  }, afterKind);
  const accepted = await results(page);
  assert.ok(accepted.every((r) => /decision accepted/.test(r.meta)), JSON.stringify(accepted));

  await page.locator("select[data-facet=kind]").selectOption("");
  await page.locator("select[data-facet=status]").selectOption("");
  await page.locator("select[data-facet=owner]").selectOption({ label: "Omar Haddad" });
  await page.waitForFunction(() => /result/.test(document.getElementById("search-status").textContent));
  await page.waitForFunction(() =>
    [...document.querySelectorAll("#search-results .sr-meta")].every((m) => m.textContent.includes("Omar Haddad")),
  );
  const omar = count(await page.locator("#search-status").textContent());
  assert.ok(omar > 0 && omar < total, `${omar} of ${total}`);

  await page.locator("select[data-facet=owner]").selectOption("");
  await page.locator("select[data-facet=team]").selectOption({ label: "Identity" });
  await page.waitForFunction(() => {
    const metas = [...document.querySelectorAll("#search-results .sr-meta")];
    return metas.length > 0 && metas.every((m) => m.textContent.includes("Identity"));
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test("arrow keys move through the results and Enter opens one", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser);
  await page.goto(env.server.base, { waitUntil: "load" });
  const found = await search(page, "passkeys");
  assert.ok(found.length >= 2, found.map((r) => r.title).join(" | "));
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const selected = await page.locator("#search-results li[aria-selected=true] .sr-title").textContent();
  assert.equal(selected, found[1].title);
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.locator("#search-results li[aria-selected=true] .sr-title").textContent(), found[0].title);
  await Promise.all([page.waitForURL(/\/(features|decisions)\//), page.keyboard.press("Enter")]);
  assert.equal((await page.locator("h1").innerText()).trim(), found[0].title);
  await page.keyboard.press("Escape");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a query downloads only part of the index", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser);
  await page.goto(env.server.base, { waitUntil: "load" });
  env.server.served.length = 0;
  await search(page, "ledger migration");
  const index = env.server.served.filter((s) => s.path.startsWith("/search/"));
  assert.ok(index.some((s) => s.path === "/search/meta.js"));
  const words = index.filter((s) => s.path.startsWith("/search/w/")).length;
  const fragments = index.filter((s) => s.path.startsWith("/search/d/")).length;
  assert.ok(words >= 1, `${words} word chunks`);
  assert.ok(fragments >= 1 && fragments <= 20, `${fragments} fragments`);
  const all = fs.readdirSync(path.join(SITE_DIR, "search"), { recursive: true });
  const fetched = new Set(index.map((s) => s.path));
  assert.ok(fetched.size < all.length / 2, `${fetched.size} of ${all.length} index files`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("search works from file:// with no server", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser);
  await page.goto(pathToFileURL(path.join(SITE_DIR, "features", "pay-101", "index.html")).href);
  const found = await search(page, "SAML");
  assert.ok(found.some((r) => /SAML single sign-on/.test(r.title)), found.map((r) => r.title).join(" | "));
  assert.deepEqual(problems, []);
  await context.close();
});

test("the search panel fits a 390 px screen", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser, { viewport: { width: 390, height: 844 } });
  await page.goto(env.server.base + "features/pay-101/", { waitUntil: "load" });
  await search(page, "invoice");
  await page.screenshot({ path: screenshotPath("390-search.png") });
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= o.clientWidth, `scrollWidth ${o.scrollWidth} > ${o.clientWidth}: ${o.offenders.join("; ")}`);
  const panel = await page.locator("#search-panel").boundingBox();
  assert.ok(panel.x >= 0 && panel.x + panel.width <= 390, JSON.stringify(panel));
  assert.deepEqual(problems, []);
  await context.close();
});
