// Drives Tributary's web console in headless Chromium through playwright-core. Run by
// ConsoleBrowserIT: node console-e2e.mjs <endpoint> <stream> <chromium executable>
// Speaks with the test in lines: prints one JSON line per phase, waits for "go" on stdin between.
//   phase "tail":    the console's stream list -> the stream -> the tail of shardId-000000000000,
//                    once 3 records are shown; prints their payload texts.
//   (the test puts a 4th record and splits the shard, then writes "go")
//   phase "lineage": the 4th record appears in the open tail without reloading; then the stream
//                    page (reloaded) shows the lineage tree; prints the parent's children.
import { chromium } from "playwright-core";
import { createInterface } from "node:readline";

const [endpoint, stream, executablePath] = process.argv.slice(2);
const TIMEOUT = 10_000;
const lines = createInterface({ input: process.stdin });
const stdin = lines[Symbol.asyncIterator]();

function say(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

async function payloads(page) {
  return page.$$eval("#tail tbody tr td.data pre.payload", (cells) => cells.map((c) => c.textContent));
}

const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto(endpoint + "/_tributary/ui/");
  await page.getByRole("link", { name: stream, exact: true }).click();
  await page.waitForURL(/\/_tributary\/ui\/stream\?/);
  const title = await page.textContent("h1");
  await page.locator('li.node[data-shard="shardId-000000000000"] > span.shard > a').click();
  await page.waitForURL(/\/_tributary\/ui\/tail\?/);
  await page.waitForFunction(() => document.querySelectorAll("#tail tbody tr").length >= 3);
  say({ phase: "tail", title, records: await payloads(page),
        encodings: await page.$$eval("#tail tbody tr td.data .enc", (cells) => cells.map((c) => c.textContent)) });

  const go = await stdin.next();
  if (go.done || go.value.trim() !== "go") throw new Error("expected go, got " + JSON.stringify(go.value));

  // The open tail polls: the 4th record shows up without a reload.
  await page.waitForFunction(() => document.querySelectorAll("#tail tbody tr").length >= 4);
  const live = await payloads(page);
  await page.locator("h1 a.name").click();
  await page.waitForURL(/\/_tributary\/ui\/stream\?/);
  const parent = page.locator('ul.lineage > li.node[data-shard="shardId-000000000000"]');
  const children = await parent.locator(":scope > ul.children > li.node").evaluateAll(
    (nodes) => nodes.map((n) => n.dataset.shard));
  const states = await page.$$eval("li.node > span.shard > .state", (s) => s.map((e) => e.textContent));
  say({ phase: "lineage", live, roots: await page.$$eval("ul.lineage > li.node", (n) => n.map((e) => e.dataset.shard)),
        children, states, errors });
} catch (e) {
  say({ phase: "error", message: String(e && e.stack || e) });
  process.exitCode = 1;
} finally {
  await browser.close();
  lines.close();
}
