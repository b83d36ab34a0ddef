#!/usr/bin/env node
// Drives the web console (/console) in Debian's headless Chromium and prints ONE JSON line with what it saw; the
// integration test (ConsoleTests.cs) seeds the farm and asserts on it. Screenshots go to --out.
// Usage: node console.mjs --base http://127.0.0.1:PORT --token ADMIN --out DIR --seeded '{"queued":"id",...}'
//                         --progress-job ID --retry-job ID --cancel-job ID --clip NAME --failed-file NAME [--timeout 80]
// Everything stays on loopback (the browser is refused any other request).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: o } = parseArgs({
  options: {
    base: { type: 'string' }, token: { type: 'string' }, out: { type: 'string' }, seeded: { type: 'string' },
    'progress-job': { type: 'string' }, 'retry-job': { type: 'string' }, 'cancel-job': { type: 'string' },
    clip: { type: 'string' }, 'drm-clip': { type: 'string' }, 'failed-file': { type: 'string' }, timeout: { type: 'string', default: '80' },
  },
});
const base = new URL(o.base);
if (!['127.0.0.1', 'localhost'].includes(base.hostname)) throw new Error('--base must be a loopback URL');
mkdirSync(o.out, { recursive: true });
const seeded = JSON.parse(o.seeded);
const result = { ok: false, pages: {}, consoleErrors: [], blocked: [], steps: [] };
const step = (name, data) => result.steps.push({ name, ...data });
const log = (...a) => process.stderr.write(a.join(' ') + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const deadline = Date.now() + Number(o.timeout) * 1000;
const watchdog = setTimeout(() => { result.error = 'watchdog: timeout'; finish(1); }, Number(o.timeout) * 1000 + 5000);

let browser;
let printed = false;
async function finish(code) {
  if (printed) return;
  printed = true;
  clearTimeout(watchdog);
  process.stdout.write(JSON.stringify(result) + '\n');
  if (browser) await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
  process.exit(code);
}

async function waitFor(what, fn, ms = 20000) {
  const until = Math.min(Date.now() + ms, deadline);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function main() {
  const args = ['--headless=new', '--autoplay-policy=no-user-gesture-required', '--no-proxy-server',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*, EXCLUDE [::1]'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(/.*/, (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || ['127.0.0.1', 'localhost'].includes(u.hostname)) return route.continue();
    result.blocked.push(u.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  let current = 'start';
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(`${current}: ${m.text()}`); });
  page.on('pageerror', (e) => result.consoleErrors.push(`${current}: ${e.message}`));

  const visit = async (name, url) => {
    current = name;
    const response = await page.goto(new URL(url, base).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
    result.pages[name] = { status: response.status(), url: page.url() };
  };
  const shot = (name) => page.screenshot({ path: path.join(o.out, `${name}.png`), fullPage: true });

  // Sign-in: an unauthenticated page goes to the sign-in form; a wrong token is refused there.
  current = 'signin';
  await page.goto(new URL('/console/jobs', base).href);
  step('redirected to sign-in', { url: page.url() });
  current = 'signin-refused';
  await page.fill('#token', 'not-the-token');
  const [wrong] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  step('wrong token', { status: wrong.status(), error: await page.textContent('#signin-error'), url: page.url() });
  await shot('signin-refused');
  current = 'signin';
  await page.fill('#token', o.token);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await page.waitForSelector('body[data-ready="true"]');
  step('signed in', { url: page.url() });
  current = 'jobs';
  result.pages.jobs = { status: 200, url: page.url() };

  // Jobs: every seeded state shows; the seeded running job's progress moves without a reload (server-sent events).
  const stateOf = (id) => page.getAttribute(`tr[data-job-id="${id}"]`, 'data-state').catch(() => null);
  const states = {};
  for (const [state, id] of Object.entries(seeded)) states[state] = await waitFor(`job ${id}`, () => stateOf(id), 10000);
  step('seeded states shown', { states });
  const fractions = new Set();
  await waitFor('progress to move', async () => {
    const f = await page.getAttribute(`tr[data-job-id="${o['progress-job']}"]`, 'data-fraction').catch(() => null);
    if (f) fractions.add(f);
    return fractions.size >= 3;
  }, 15000).catch(() => {});
  step('progress seen', { fractions: [...fractions] });
  await shot('jobs');

  // The clip dropped while the browser watched: its row appears and reaches succeeded live.
  const clipSeen = [];
  const clipRow = `tr:has(td:text-is("${o.clip}"))`;
  const asset = await waitFor('the dropped clip to succeed', async () => {
    const row = await page.$(clipRow);
    if (!row) return null;
    const s = await row.getAttribute('data-state');
    const f = await row.getAttribute('data-fraction');
    const last = clipSeen[clipSeen.length - 1];
    const now = `${s}${f ? ' ' + f : ''}`;
    if (now !== last) clipSeen.push(now);
    return s === 'succeeded' ? page.$eval(`${clipRow} a[href^="/console/jobs/"]`, (a) => a.textContent) : null;
  }, 60000);
  step('dropped clip seen', { states: clipSeen, job: asset });

  // Live updates redraw the rows; a keyboard user's place survives them (the running job's Cancel keeps the focus).
  const focusKey = `cancel:${o['progress-job']}`;
  await page.focus(`[data-key="${focusKey}"]`);
  const before = await page.getAttribute(`tr[data-job-id="${o['progress-job']}"]`, 'data-fraction');
  await waitFor('a redraw', async () => (await page.getAttribute(`tr[data-job-id="${o['progress-job']}"]`, 'data-fraction')) !== before, 5000).catch(() => {});
  step('focus kept', { redrawn: (await page.getAttribute(`tr[data-job-id="${o['progress-job']}"]`, 'data-fraction')) !== before,
    focused: await page.evaluate(() => (document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null) ?? null), expected: focusKey });

  // Retry and cancel through the buttons; the rows change by themselves.
  await page.click(`tr[data-job-id="${o['cancel-job']}"] button[data-action="cancel"]`);
  const cancelled = await waitFor('the cancel', async () => ((await stateOf(o['cancel-job'])) === 'cancelled' ? 'cancelled' : null), 10000).catch(() => stateOf(o['cancel-job']));
  await page.click(`tr[data-job-id="${o['retry-job']}"] button[data-action="retry"]`);
  const retried = await waitFor('the retry', async () => ((await stateOf(o['retry-job'])) === 'queued' ? 'queued' : null), 10000).catch(() => stateOf(o['retry-job']));
  step('cancel and retry', { cancelled, retried, status: await page.textContent('#status') });

  // Job detail of the dead job: its error and history.
  await visit('job', `/console/jobs/${encodeURIComponent(seeded.dead)}`);
  step('job page', { text: (await page.textContent('main')).slice(0, 2000) });
  await shot('job-dead');

  await visit('workers', '/console/workers');
  // Keyboard: on a fresh page the first Tab reaches the skip link, and focus is visible.
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => {
    const a = document.activeElement;
    const s = getComputedStyle(a);
    return { text: a.textContent.trim(), tag: a.tagName, outline: s.outlineStyle, width: s.outlineWidth };
  });
  step('keyboard', { focus });
  step('workers', { rows: await page.$$eval('tr[data-worker-id]', (r) => r.map((x) => x.textContent)) });
  await shot('workers');

  await visit('drop', '/console/drop');
  step('drop', { rows: await page.$$eval('tr[data-file]', (r) => r.map((x) => x.textContent)) });
  await shot('drop');

  await visit('assets', '/console/assets');
  const assetId = await page.$eval(`tr[data-asset]:has(td:text-is("${o.clip}")) a`, (a) => a.textContent);
  step('assets', { rows: await page.$$eval('tr[data-asset]', (r) => r.map((x) => x.textContent)) });
  await shot('assets');

  // The preview player plays, with each library: the clear clip, and the ClearKey-encrypted one through the edge's license
  // endpoint with the token the console signs.
  const playAll = async (name, id) => {
    await visit(name, `/console/assets/${encodeURIComponent(id)}`);
    const playback = {};
    for (const player of ['hlsjs', 'shaka-dash']) {
      await page.click(`button[data-player="${player}"]`);
      const t = await waitFor(`${player} to play ${id}`, async () => {
        const v = await page.$eval('#player', (video) => video.currentTime);
        return v > 1.5 ? v : null;
      }, 20000).catch(() => null);
      playback[player] = { currentTime: t, drm: await page.$eval('#player', (video) => !!video.mediaKeys), status: await page.textContent('#player-status') };
    }
    return playback;
  };
  step('player', { asset: assetId, playback: await playAll('asset', assetId) });
  await shot('asset-player');
  if (o['drm-clip']) {
    await visit('assets', '/console/assets');
    const drmAsset = await page.$eval(`tr[data-asset]:has(td:text-is("${o['drm-clip']}")) a`, (a) => a.textContent);
    step('drm player', { asset: drmAsset, text: await page.textContent(`tr[data-asset="${drmAsset}"]`), playback: await playAll('asset-drm', drmAsset) });
    await shot('asset-drm-player');
  }

  await visit('edge', '/console/edge');
  await sleep(2500); // one more sample of the counters, with the playback above in it
  step('edge', { totals: await page.textContent('#edge-totals'), charts: await page.$$eval('svg.chart', (s) => s.length),
    bars: await page.$$eval('svg.chart rect.bar', (b) => b.filter((x) => Number(x.getAttribute('height')) > 0).length) });
  await shot('edge');

  // A phone's width: no sideways scrolling, the tables stack.
  await page.setViewportSize({ width: 390, height: 844 });
  await visit('jobs-phone', '/console/jobs');
  // Nothing cut off either: no cell wider than the room it has.
  const overflow = () => page.evaluate(() => [...document.querySelectorAll('td, dd, p, h1')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.textContent.slice(0, 60)));
  step('phone', { scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth), overflowing: await overflow() });
  await shot('jobs-phone');
  await visit('asset-phone', `/console/assets/${encodeURIComponent(assetId)}`);
  step('phone asset', { scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth), overflowing: await overflow() });
  await shot('asset-phone');

  result.ok = true;
}

main().then(() => finish(0)).catch((e) => { result.error = e.message.split('\n')[0]; log(e.stack); finish(1); });
