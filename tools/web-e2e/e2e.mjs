// End-to-end test of the browser build: serves dist/ on localhost, drives it in headless
// Chromium (software WebGL) and checks what a visitor sees: the default scene, Space, Save
// and Export as downloads, Open and Open CSV through the file picker, a lesson from the
// menu, the session after a reload, and scene, lesson and damaged links. Run by .ci/run
// after tools/web-build:
//   node tools/web-e2e/e2e.mjs SCENE_LINK_FRAGMENT SCENE_TITLE
// where the fragment is what `losscape link` prints after the address (`#scene=...`) for a
// scene whose title is SCENE_TITLE. With E2E_DOWNLOADS=DIR it keeps the downloaded scenario
// and two screenshots there.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { writeFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { inflateSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const [fragment, sceneTitle] = process.argv.slice(2);
if (!fragment?.startsWith("#scene=") || !sceneTitle) {
  console.error("usage: node e2e.mjs '#scene=...' 'the scene's title'");
  process.exit(2);
}
const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

// A static file server for dist/ (what `python3 -m http.server` does, in this process).
const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
  const file = join(dist, path.endsWith("/") ? "index.html" : path);
  if (!file.startsWith(dist)) return response.writeHead(403).end();
  try {
    const body = await readFile(file);
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const address = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // Software WebGL2 (SwiftShader); no network beyond localhost.
  args: [
    "--no-sandbox", "--disable-gpu", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
  ],
});
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAILED"}: ${what}`);
  if (!ok) failures += 1;
};

/** Decodes a PNG screenshot (8-bit RGBA or RGB, not interlaced) into its pixels. */
function pixels(png) {
  let offset = 8, width = 0, height = 0, channels = 4;
  const data = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const chunk = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = chunk.readUInt32BE(0);
      height = chunk.readUInt32BE(4);
      channels = chunk[9] === 6 ? 4 : 3;
    }
    if (type === "IDAT") data.push(chunk);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let p;
      if (filter === 0) p = 0;
      else if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else {
        const e = a + b - c, pa = Math.abs(e - a), pb = Math.abs(e - b), pc = Math.abs(e - c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = (v + p) & 255;
    }
  }
  return { width, height, channels, out };
}

function distinctColors(png) {
  const { channels, out } = pixels(png);
  const seen = new Set();
  for (let i = 0; i < out.length; i += channels) seen.add((out[i] << 16) | (out[i + 1] << 8) | out[i + 2]);
  return seen.size;
}

function changedPixels(pngA, pngB) {
  const a = pixels(pngA), b = pixels(pngB);
  let changed = 0;
  for (let i = 0; i < a.out.length; i += a.channels) {
    if (a.out[i] !== b.out[i] || a.out[i + 1] !== b.out[i + 1] || a.out[i + 2] !== b.out[i + 2]) changed++;
  }
  return changed;
}

/** A fresh page (empty storage) at `url`, started; how long the app took to draw. */
async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  // One listener for the page's whole life keeps Playwright's file-chooser interception on.
  // Waiting for each picker with waitForEvent instead turns it off after every picker and
  // back on for the next; under load the click can then win that race, and the browser
  // opens (and headless, drops) a real dialog the test never sees.
  const choosers = [];
  page.on("filechooser", (chooser) => choosers.push(chooser));
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (/panicked|RuntimeError|unreachable/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  // What a failed file-picker step needs to explain itself: the page's last presses and
  // releases (and what was under them), and every file input the page clicked.
  await page.addInitScript(() => {
    const log = (window.__e2eLog = []);
    const note = (text) => log.push(`${performance.now().toFixed(0)} ms ${text}`) > 30 && log.shift();
    for (const type of ["pointerdown", "pointerup"]) {
      window.addEventListener(type, (e) => {
        const under = document.elementFromPoint(e.clientX, e.clientY);
        note(`${type} at ${e.clientX},${e.clientY} on <${under?.tagName?.toLowerCase()}${under?.id ? "#" + under.id : ""}>`);
      }, true);
    }
    const click = HTMLInputElement.prototype.click;
    HTMLInputElement.prototype.click = function () {
      note(`<input type=${this.type}>.click(), user activation ${navigator.userActivation.isActive ? "active" : "gone"}`);
      return click.call(this);
    };
  });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('#status[data-started="yes"]', { state: "attached", timeout: 60000 });
  // The first frame is drawn by the next animation frame after the app starts.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  return { page, context, choosers, problems, started: Date.now() - t0 };
}

/** Where File menu entries are drawn (y, in CSS pixels). */
const MENU = { open: 45, save: 85 };

/** Clicks at each of `clicks` ([x, y]) in turn, letting the page draw after each. */
async function clickInTurn(page, clicks) {
  for (const [x, y] of clicks) {
    await page.mouse.click(x, y);
    await settle(page, 600);
  }
}

/** Clicks at each of `clicks` in turn and returns the bytes of the download that follows. */
async function download(page, clicks) {
  const waiting = page.waitForEvent("download", { timeout: 20000 });
  await clickInTurn(page, clicks);
  const file = await (await waiting).path();
  return readFile(file);
}

/** Clicks at each of `clicks` in turn and gives `file` to the file picker that follows
 * (`opened` is what `open` gave for the page). When no picker opens, keeps a screenshot
 * (with E2E_DOWNLOADS) and prints the page's last presses and file-input clicks. */
async function pickFile(opened, clicks, file, what) {
  const { page, choosers } = opened;
  choosers.length = 0;
  await clickInTurn(page, clicks);
  for (let waited = 0; choosers.length === 0 && waited < 20000; waited += 100) await page.waitForTimeout(100);
  if (choosers.length === 0) {
    const shot = await page.screenshot();
    if (process.env.E2E_DOWNLOADS) writeFileSync(join(process.env.E2E_DOWNLOADS, `${what}-no-picker.png`), shot);
    const card = await page.evaluate(() => document.getElementById("rfd-overlay")?.className ?? "none");
    const log = await page.evaluate(() => window.__e2eLog.join("\n  "));
    throw new Error(`${what}: no file picker within 20 s (the page's own file card: '${card}'); ` +
      `the page's last events:\n  ${log}`);
  }
  await choosers.shift().setFiles(file);
}

/** Animation-frame intervals over `ms` of the page's life, and the app's own time per
 * frame (its code and layout, not the browser's drawing), summarized. */
async function frameTimes(page, ms) {
  await page.evaluate(async () => (await import("/losscape.js")).frame_times_ms());
  const intervals = await page.evaluate((ms) => new Promise((ok) => {
    const times = [];
    const step = (t) => {
      times.push(t);
      if (times.length > 1 && t - times[0] > ms) ok(times.slice(1).map((x, i) => x - times[i]));
      else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }), ms);
  const own = await page.evaluate(async () => Array.from((await import("/losscape.js")).frame_times_ms()));
  const pct = (values, q) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0) : "-";
  };
  return `${intervals.length} frames in ${ms / 1000} s; interval median ${pct(intervals, 0.5)} ms, ` +
    `p95 ${pct(intervals, 0.95)} ms, max ${pct(intervals, 1)} ms; the app's time per frame median ` +
    `${pct(own, 0.5)} ms, p95 ${pct(own, 0.95)} ms, max ${pct(own, 1)} ms`;
}

async function settle(page, ms = 1500) {
  await page.waitForTimeout(ms);
}

try {
  // 1. The default scene renders.
  const first = await open(address);
  const { page } = first;
  console.log(`time to first frame: ${first.started} ms`);
  await settle(page, 2500);
  const still = await page.screenshot();
  const colors = distinctColors(still);
  check(colors >= 200, `the default scene renders (${colors} distinct colors)`);
  check((await page.title()) === "losscape", `the page is titled 'losscape' (${await page.title()})`);

  // 2. Space plays: the picture holds still while paused and moves after Space.
  await settle(page, 500);
  const paused = await page.screenshot();
  const idle = changedPixels(still, paused);
  await page.focus("#losscape");
  await page.keyboard.press("Space");
  await settle(page, 2000);
  const playing = await page.screenshot();
  const moved = changedPixels(paused, playing);
  check(idle < 50 && moved > 2000, `Space plays (${idle} pixels change while paused, ${moved} after Space)`);

  console.log(`frames while playing: ${await frameTimes(page, 3000)}`);
  // The basins map is the heaviest background work: the page keeps drawing while it runs.
  await page.mouse.click(722, 118);
  console.log(`frames while the basins are mapped: ${await frameTimes(page, 5000)}`);
  await page.mouse.click(722, 118);
  await settle(page, 500);
  // The Explore view's learning-rate scan and its other tabs, computed on the page.
  await page.mouse.click(632, 118);
  console.log(`frames while the Explore view computes: ${await frameTimes(page, 4000)}`);
  await page.mouse.click(467, 118);
  await settle(page, 500);

  // 3. Files go through the browser: File > Save and Export > PNG are downloads.
  const saved = await download(page, [[22, 14], [40, MENU.save]]);
  const text = saved.toString("utf8");
  check(text.startsWith("# A losscape scenario") && text.includes("rosenbrock"),
    `File > Save downloads the scenario (${saved.length} bytes)`);
  if (process.env.E2E_DOWNLOADS) writeFileSync(join(process.env.E2E_DOWNLOADS, "saved.toml"), saved);
  // File > Open scenario takes a file through the browser's file picker.
  await pickFile(first, [[22, 14], [75, MENU.open]],
    { name: "reopened.toml", mimeType: "application/toml", buffer: saved }, "open-scenario");
  await settle(page, 1500);
  const openedTitle = await page.title();
  check(openedTitle === "reopened.toml — losscape", `File > Open scenario reads the picked file (title '${openedTitle}')`);
  // Fit to data > Open CSV reads a dataset given to the file picker: the data plot changes.
  await page.mouse.click(150, 146);
  await settle(page, 1500);
  const dataPlot = { x: 1040, y: 180, width: 240, height: 330 };
  const before = await page.screenshot({ clip: dataPlot });
  const csv = "x,y\n-3,-5\n-1,-1\n0,1\n2,5\n4,9\n";
  await pickFile(first, [[292, 204]], { name: "line.csv", mimeType: "text/csv", buffer: Buffer.from(csv) }, "open-csv");
  await settle(page, 2000);
  const after = await page.screenshot({ clip: dataPlot });
  if (process.env.E2E_DOWNLOADS) writeFileSync(join(process.env.E2E_DOWNLOADS, "csv-data-plot.png"), after);
  const replotted = changedPixels(before, after);
  check(replotted > 1000, `Open CSV reads the picked dataset (${replotted} pixels of the data plot change)`);
  const png = await download(page, [[864, 118], [930, 149]]);
  const image = pixels(png);
  check(image.width > 300 && image.height > 200 && distinctColors(png) >= 200,
    `Export > PNG of the contour view downloads the picture (${image.width}x${image.height})`);

  // 4. A lesson opens from the Lessons menu.
  await page.mouse.click(75, 14);
  await settle(page, 700);
  await page.mouse.click(230, 132);
  await settle(page, 1500);
  const lessonTitle = await page.title();
  check(/Learning rate: too small/.test(lessonTitle), `Lessons > 4 opens the lesson (title '${lessonTitle}')`);
  // The session is remembered in the browser: a reload comes back to the lesson.
  await page.reload();
  await page.waitForSelector('#status[data-started="yes"]', { state: "attached", timeout: 60000 });
  await settle(page, 1500);
  const reloadedTitle = await page.title();
  check(reloadedTitle === lessonTitle, `a reload comes back to the lesson (title '${reloadedTitle}')`);
  check(first.problems.length === 0, `no errors on the page (${first.problems.join("; ") || "none"})`);
  await first.context.close();

  // 5. A scene link opens the scene it carries.
  const linked = await open(address + fragment);
  await settle(linked.page, 1500);
  const linkTitle = await linked.page.title();
  check(linkTitle === `${sceneTitle} — losscape`, `the scene link opens its scene (title '${linkTitle}')`);
  check(!linked.page.url().includes("#"), `the opened link leaves the address bar (${linked.page.url()})`);
  const linkColors = distinctColors(await linked.page.screenshot());
  check(linkColors >= 200, `the linked scene renders (${linkColors} distinct colors)`);
  check(linked.problems.length === 0, `no errors on the linked page (${linked.problems.join("; ") || "none"})`);
  await linked.context.close();

  // 6. A short lesson link opens the lesson; a damaged link shows the default scene (with a
  // message on the canvas), never a broken page.
  const lesson = await open(address + "#lesson=07");
  await settle(lesson.page, 1500);
  const lessonLinkTitle = await lesson.page.title();
  check(/Momentum in a narrow valley/.test(lessonLinkTitle), `#lesson=07 opens lesson 7 (title '${lessonLinkTitle}')`);
  await lesson.context.close();
  const damaged = await open(address + "#scene=bm90IGEgc2NlbmU");
  await settle(damaged.page, 1500);
  const damagedTitle = await damaged.page.title();
  const damagedShot = await damaged.page.screenshot();
  if (process.env.E2E_DOWNLOADS) writeFileSync(join(process.env.E2E_DOWNLOADS, "damaged-link.png"), damagedShot);
  const damagedColors = distinctColors(damagedShot);
  check(damagedTitle === "losscape" && damagedColors >= 200,
    `a damaged link shows the default scene (title '${damagedTitle}', ${damagedColors} colors)`);
  check(damaged.problems.length === 0, `no errors on the damaged link's page (${damaged.problems.join("; ") || "none"})`);
  await damaged.context.close();
} finally {
  await browser.close();
  server.close();
}
if (failures > 0) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
console.log("the browser build passes");
