// The default theme in a real browser: pages render cleanly, a feature page shows its
// metric goals and status, and the layout holds at phone width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serveAndBrowse, watchedPage, overflow, screenshotPath } from "./harness.mjs";

const env = serveAndBrowse();

test("the home page renders with no console errors", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser);
  await page.goto(env.server.base, { waitUntil: "load" });
  assert.equal(await page.title(), "Tern product specs");
  assert.ok(await page.locator("header.site-header").isVisible());
  // The search box is shown once its script runs.
  await page.locator("#search-input").waitFor({ state: "visible" });
  assert.ok((await page.locator("main").innerText()).length > 200, "home page has content");
  assert.deepEqual(problems, []);
  await context.close();
});

test("pages work without JavaScript, with the search box hidden", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser, { javaScriptEnabled: false });
  await page.goto(env.server.base + "features/pay-101/", { waitUntil: "load" });
  assert.ok(await page.locator("table.metrics-table").isVisible());
  assert.equal(await page.locator("#search").isVisible(), false);
  await page.locator(".site-nav a", { hasText: "Decisions" }).click();
  await page.waitForURL(/\/decisions\/$/);
  assert.match(await page.locator("h1").innerText(), /Decision log/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a feature page shows its metric table and status badge", async () => {
  const { page, problems, context } = await watchedPage(env.chrome.browser);
  await page.goto(env.server.base + "features/pay-101/", { waitUntil: "load" });
  assert.match(await page.locator("h1").innerText(), /Instant payouts/);
  const badge = page.locator(".doc-meta .badge").first();
  assert.ok(await badge.isVisible(), "status badge is visible");
  assert.equal((await badge.innerText()).trim(), "shipped");
  const table = page.locator("table.metrics-table");
  assert.ok(await table.isVisible(), "metric table is visible");
  const rows = await table.locator("tbody tr").count();
  assert.ok(rows >= 1, `metric rows: ${rows}`);
  const verdicts = await table.locator(".verdict").allInnerTexts();
  assert.ok(verdicts.length >= 1 && verdicts.every((v) => /met|missed|pending|overdue/i.test(v)), verdicts.join());
  const box = await table.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 20, "table has a size");
  assert.deepEqual(problems, []);
  await context.close();
});

for (const [name, route] of [
  ["home", ""],
  ["feature", "features/pay-101/"],
  ["roadmap", "roadmaps/rm-pay-2026/"],
  ["outcomes", "outcomes/"],
]) {
  test(`the ${name} page has no horizontal overflow at 390 px`, async () => {
    const { page, problems, context } = await watchedPage(env.chrome.browser, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
    });
    await page.goto(env.server.base + route, { waitUntil: "load" });
    await page.locator("#search-input").waitFor({ state: "visible" });
    await page.screenshot({ path: screenshotPath(`390-${name}.png`) });
    await page.screenshot({ path: screenshotPath(`390-${name}-full.png`), fullPage: true });
    const o = await overflow(page);
    assert.ok(o.scrollWidth <= o.clientWidth, `scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth}: ${o.offenders.join("; ")}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

for (const colorScheme of ["light", "dark"]) {
  test(`highlighted code is coloured in the ${colorScheme} scheme`, async () => {
    const { page, problems, context } = await watchedPage(env.chrome.browser, { colorScheme });
    await page.goto(env.server.base + "features/plt-405/", { waitUntil: "load" });
    await page.locator("pre:has(code.language-sql)").screenshot({ path: screenshotPath(`code-${colorScheme}.png`) });
    const colours = await page.evaluate(() => {
      const code = document.querySelector("pre code.language-sql");
      const keyword = code.querySelector(".hl-k");
      const comment = code.querySelector(".hl-c");
      const css = (el) => getComputedStyle(el);
      return {
        keyword: keyword && keyword.textContent,
        plain: css(code).color,
        keywordColour: keyword && css(keyword).color,
        commentColour: comment && css(comment).color,
        background: css(code.parentElement).backgroundColor,
      };
    });
    assert.equal(colours.keyword, "CREATE TABLE", JSON.stringify(colours));
    assert.notEqual(colours.keywordColour, colours.plain, JSON.stringify(colours));
    assert.notEqual(colours.commentColour, colours.plain, JSON.stringify(colours));
    assert.notEqual(colours.keywordColour, colours.commentColour, JSON.stringify(colours));
    // The dark palette applies in the dark scheme (and only there).
    const light = { keyword: "rgb(207, 34, 46)", background: "rgb(246, 248, 250)" };
    const dark = { keyword: "rgb(255, 123, 114)", background: "rgb(22, 27, 34)" };
    const expected = colorScheme === "dark" ? dark : light;
    assert.equal(colours.keywordColour, expected.keyword, JSON.stringify(colours));
    assert.equal(colours.background, expected.background, JSON.stringify(colours));
    assert.deepEqual(problems, []);
    await context.close();
  });
}
