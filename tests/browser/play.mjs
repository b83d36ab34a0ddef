#!/usr/bin/env node
// Headless-browser playback harness: plays one HLS or DASH manifest in a real player (shaka-player or hls.js) inside
// Debian's Chromium and prints ONE JSON line:
//   {"ok":bool,"player":"shaka","currentTime":n,"decodedFrames":n,"error":string|null,"drm":bool}
// Exit code: 0 played, 1 playback failed (player/media error, no progress, timeout), 2 harness problem.
// Usage: node play.mjs --url <manifest URL> --player shaka|hlsjs [--clearkey <kidhex>:<keyhex> ...]
//                      [--license-url <ClearKey license URL>] [--seconds 3] [--timeout 45] [--verbose]
//                      [--switch-audio <language>]
// With --switch-audio: once playback has advanced --seconds, the audio tracks the player lists are recorded, the first
// one of that language is selected, and playback must advance --seconds more with the audio decoder still fed; the
// result adds {"audioTracks":[{language,name}...],"audioBefore":{...},"audioAfter":{...},"switchedAt":n,
// "audioBytesAtSwitch":n,"audioBytesAfter":n}.
// Everything stays on loopback: the manifest and license URLs must be loopback URLs, the harness's own server listens
// on 127.0.0.1, and the browser is refused every non-loopback request. See README.md.
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const KEY_WAIT_LIMIT_MS = 10000; // an encrypted stream whose key never becomes usable fails after this long
const POLL_MS = 200;

let printed = false;
let exitCode = 2;
function emit(result, code) {
  if (printed) return;
  printed = true;
  exitCode = code;
  process.stdout.write(JSON.stringify(result) + '\n');
}
function harnessError(message, player = null) {
  emit({ ok: false, player, currentTime: 0, decodedFrames: 0, error: `harness: ${message}`, drm: false }, 2);
}
const log = (...a) => process.stderr.write(a.join(' ') + '\n');
// What a signal or the watchdog must clean up.
const active = { browser: null, server: null, player: null };
async function cleanup() {
  const { browser, server } = active;
  active.browser = active.server = null;
  if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
  if (server) { server.closeAllConnections?.(); server.close(); }
}

// ---------- arguments ----------
function isLoopbackHost(hostname) {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
function loopbackUrl(value, what) {
  let u;
  try { u = new URL(value); } catch { throw new Error(`${what} is not a URL: ${value}`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${what} must be http(s): ${value}`);
  if (!isLoopbackHost(u.hostname)) throw new Error(`${what} must be a loopback address (127.0.0.0/8, localhost, [::1]): ${value}`);
  return u.href;
}
const hexToBytes = (hex) => Buffer.from(hex, 'hex');
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string' },
      player: { type: 'string' },
      clearkey: { type: 'string', multiple: true },
      'license-url': { type: 'string' },
      seconds: { type: 'string', default: '3' },
      timeout: { type: 'string', default: '45' },
      verbose: { type: 'boolean', default: false },
      'switch-audio': { type: 'string' },
      subtitles: { type: 'string' },
      'probe-times': { type: 'string', default: '' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stderr.write('usage: node play.mjs --url <manifest URL> --player shaka|hlsjs [--clearkey <kidhex>:<keyhex> ...]\n' +
      '                    [--license-url <ClearKey license URL>] [--seconds 3] [--timeout 45] [--verbose]\n');
    process.exit(2);
  }
  if (!values.url) throw new Error('--url is required');
  if (values.player !== 'shaka' && values.player !== 'hlsjs') throw new Error('--player must be shaka or hlsjs');
  const seconds = Number(values.seconds);
  const timeout = Number(values.timeout);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number: ${values.seconds}`);
  if (!(timeout > 0)) throw new Error(`--timeout must be a positive number: ${values.timeout}`);
  const keys = [];
  for (const pair of values.clearkey || []) {
    const m = /^([0-9a-fA-F-]+):([0-9a-fA-F]+)$/.exec(pair);
    const kid = m ? m[1].replace(/-/g, '').toLowerCase() : '';
    const key = m ? m[2].toLowerCase() : '';
    if (kid.length !== 32 || key.length !== 32) throw new Error(`--clearkey must be <32 hex kid>:<32 hex key>: ${pair}`);
    keys.push({ kid, key });
  }
  const licenseUrl = values['license-url'] ? loopbackUrl(values['license-url'], '--license-url') : null;
  if (licenseUrl && keys.length) throw new Error('give either --clearkey or --license-url, not both');
  return {
    url: loopbackUrl(values.url, '--url'), player: values.player, keys, licenseUrl, seconds, timeout,
    verbose: values.verbose, switchAudio: values['switch-audio'] || null,
    subtitles: values.subtitles || null,
    probeTimes: (values['probe-times'] || '').split(',').filter((t) => t !== '').map(Number),
  };
}

// ---------- the harness's own server: player page, player builds, inline ClearKey license ----------
function startServer(opts) {
  const files = {
    '/': [path.join(here, 'page', 'index.html'), 'text/html; charset=utf-8'],
    '/page/harness.js': [path.join(here, 'page', 'harness.js'), 'text/javascript; charset=utf-8'],
    '/lib/shaka-player.compiled.js': [path.join(here, 'node_modules', 'shaka-player', 'dist', 'shaka-player.compiled.js'), 'text/javascript; charset=utf-8'],
    '/lib/hls.min.js': [path.join(here, 'node_modules', 'hls.js', 'dist', 'hls.min.js'), 'text/javascript; charset=utf-8'],
  };
  for (const [file] of Object.values(files)) accessSync(file, fsConstants.R_OK); // missing npm install -> harness error

  const server = http.createServer((req, res) => {
    const route = new URL(req.url, 'http://127.0.0.1').pathname;
    if (req.method === 'POST' && route === '/license') return license(req, res, opts);
    const entry = files[route];
    if (req.method !== 'GET' || !entry) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': entry[1], 'cache-control': 'no-store' });
    res.end(readFileSync(entry[0]));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// A W3C ClearKey license server for the --clearkey keys (used by hls.js, which has no inline-key option): the request
// is the CDM's {"kids":[base64url...],"type":"temporary"}, the answer a JWK set. It answers the requested kids it
// knows; when it knows none of them it answers every configured key, so that a wrong kid fails in the CDM/player the
// way a real wrong license would (no usable key) rather than here.
function license(req, res, opts) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let kids = [];
    try { kids = JSON.parse(Buffer.concat(chunks).toString('utf8')).kids || []; } catch { /* answer all keys */ }
    const requested = new Set(kids.map((k) => Buffer.from(k, 'base64url').toString('hex')));
    let keys = opts.keys.filter((k) => requested.has(k.kid));
    if (!keys.length) keys = opts.keys;
    if (opts.verbose) log(`license request for kids [${[...requested].join(', ')}] -> answering [${keys.map((k) => k.kid).join(', ')}]`);
    const body = JSON.stringify({ keys: keys.map((k) => ({ kty: 'oct', kid: b64url(hexToBytes(k.kid)), k: b64url(hexToBytes(k.key)) })), type: 'temporary' });
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
  });
}

// ---------- main ----------
async function main() {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    harnessError(e.message);
    return;
  }
  const started = Date.now();
  const deadline = started + opts.timeout * 1000;

  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  try { accessSync(chromiumPath, fsConstants.X_OK); } catch {
    harnessError(`chromium not found at ${chromiumPath} (run scripts/browser-deps.sh or set CHROMIUM_PATH)`, opts.player);
    return;
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    harnessError(`playwright-core missing (run scripts/browser-deps.sh): ${e.message}`, opts.player);
    return;
  }

  active.player = opts.player;
  let server = null;
  let browser = null;
  const consoleLines = [];
  const blocked = [];
  // Never hang: whatever happens below, print a result and leave shortly after the deadline.
  const watchdog = setTimeout(() => {
    emit({ ok: false, player: opts.player, currentTime: 0, decodedFrames: 0, error: `harness: hard timeout after ${opts.timeout} s`, drm: false }, 1);
    setTimeout(() => process.exit(exitCode), 6000).unref();
    cleanup().finally(() => process.exit(exitCode));
  }, opts.timeout * 1000 + 10000);
  watchdog.unref();

  try {
    try {
      server = active.server = await startServer(opts);
    } catch (e) {
      harnessError(`could not start the page server: ${e.message}`, opts.player);
      return;
    }
    const origin = `http://127.0.0.1:${server.address().port}`;

    const args = [
      '--headless=new',
      '--autoplay-policy=no-user-gesture-required',
      '--no-proxy-server',
      // Names other than localhost never resolve: the browser can only reach loopback.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*, EXCLUDE [::1]',
    ];
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
    try {
      browser = active.browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args,
        // Signals are handled below (print a result, then close the browser).
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: Math.max(1000, deadline - Date.now()),
      });
    } catch (e) {
      harnessError(`could not launch chromium: ${e.message.split('\n')[0]}`, opts.player);
      return;
    }
    const context = await browser.newContext();
    // Only loopback: refuse (and report) anything else the page, the manifest or its segments point to.
    await context.route(/.*/, (route) => {
      const u = route.request().url();
      let host = '';
      try { host = new URL(u).hostname; } catch { /* data: and the like */ }
      if (u.startsWith('data:') || u.startsWith('blob:') || isLoopbackHost(host)) return route.continue();
      blocked.push(u);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      const line = `[console.${m.type()}] ${m.text()}`;
      if (opts.verbose) log(line);
      if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(line);
    });
    page.on('pageerror', (e) => {
      const line = `[pageerror] ${e.message}`;
      if (opts.verbose) log(line);
      consoleLines.push(line);
    });

    const remaining = () => deadline - Date.now();
    const withDeadline = (promise) => Promise.race([
      promise,
      new Promise((_, reject) => setTimeout(() => reject(new Error('deadline')), Math.max(0, remaining())).unref()),
    ]);

    try {
      await withDeadline(page.goto(origin + '/', { waitUntil: 'load' }));
    } catch (e) {
      const why = e.message === 'deadline' ? `not loaded within --timeout ${opts.timeout} s` : e.message.split('\n')[0];
      harnessError(`could not open the player page: ${why}`, opts.player);
      return;
    }
    const cfg = { url: opts.url, player: opts.player, clearKeys: null, licenseUrl: opts.licenseUrl, textLanguage: opts.subtitles };
    if (opts.keys.length) {
      if (opts.player === 'shaka') cfg.clearKeys = Object.fromEntries(opts.keys.map((k) => [k.kid, k.key]));
      else cfg.licenseUrl = origin + '/license';
    }
    await withDeadline(page.evaluate((c) => window.harness.start(c), cfg));

    let snap = null;
    let error = null;
    let ok = false;
    const audio = { switched: false };
    for (;;) {
      try {
        snap = await withDeadline(page.evaluate(() => window.harness.snapshot()));
      } catch (e) {
        if (e.message !== 'deadline') error = `page stopped answering: ${e.message.split('\n')[0]}`;
        // else: fall through to the timeout message with the last snapshot
      }
      const advanced = snap && snap.startTime !== null ? snap.currentTime - snap.startTime : 0;
      if (snap && snap.errors.length) { error = snap.errors.join(' | '); break; }
      if (error) break;
      if (blocked.length) { error = `non-loopback request refused: ${blocked[0]}`; break; }
      if (snap && opts.switchAudio && !audio.switched && advanced >= opts.seconds) {
        // Phase two: switch the language, then the same advance again from here.
        const listed = await page.evaluate(() => window.harness.audioTracks());
        const switched = await page.evaluate((l) => window.harness.switchAudio(l), opts.switchAudio);
        Object.assign(audio, { switched: true, tracks: listed.tracks, before: listed.tracks[listed.active] || null,
          at: snap.currentTime, bytesAtSwitch: snap.audioDecodedBytes });
        if (!switched.ok) { error = `no audio track in language '${opts.switchAudio}' among ${JSON.stringify(listed.tracks)}`; break; }
        await new Promise((r) => setTimeout(r, POLL_MS));
        continue;
      }
      const sinceSwitch = audio.switched ? snap.currentTime - audio.at : advanced;
      // An asset shorter than a poll (one frame: 0.04 s) can reach its end before the 'playing' event records where it
      // started: played through all the same when it started, stopped at its own end, at or past --seconds, with a frame.
      const playedThrough = snap && !audio.switched && snap.startTime !== null && (snap.ended || snap.paused)
        && snap.duration > 0 && snap.currentTime >= snap.duration - 0.05 && snap.currentTime >= opts.seconds && snap.decodedFrames > 0;
      if (snap && (sinceSwitch >= opts.seconds || (snap.ended && advanced > 0) || playedThrough)) {
        if (audio.switched) {
          const now = await page.evaluate(() => window.harness.audioTracks());
          Object.assign(audio, { after: now.tracks[now.active] || null, bytesAfter: snap.audioDecodedBytes });
        }
        if (snap.videoWidth > 0 && snap.decodedFrames === 0) error = 'time advanced but no video frame was decoded';
        else ok = true;
        break;
      }
      if (snap && snap.waitingForKeyMs > KEY_WAIT_LIMIT_MS) {
        const waited = `waiting for a decryption key for ${Math.round(snap.waitingForKeyMs / 1000)} s: `;
        error = waited + (snap.drm
          ? `MediaKeys are set but no usable key (wrong or missing kid, no license, or no init data the CDM understands; 'encrypted' events: ${snap.encryptedEvents})`
          : `the media is encrypted but the player set up no MediaKeys (a KEYFORMAT/METHOD or ContentProtection this player does not handle, or no --clearkey/--license-url)`);
        break;
      }
      if (remaining() <= 0) {
        error = `timeout after ${opts.timeout} s: currentTime advanced ${advanced.toFixed(2)} s of ${opts.seconds} s` +
          (snap ? ` (readyState ${snap.readyState}, paused ${snap.paused}, encrypted events ${snap.encryptedEvents})` : '');
        break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    // --subtitles LANG: once playing, list the player's text tracks, turn on LANG's, and read the active cue at each
    // --probe-times second (seek there, wait for the cue to be shown).
    let subtitles;
    if (ok && opts.subtitles) {
      try {
        subtitles = await withDeadline(page.evaluate((a) => window.harness.subtitles(a.lang, a.times), { lang: opts.subtitles, times: opts.probeTimes }));
      } catch (e) {
        ok = false;
        error = `subtitles: ${e.message.split('\n')[0]}`;
      }
    }
    // Browsers report CORS refusals only on the console; the players just see a network error.
    const cors = consoleLines.find((l) => l.includes('CORS policy'));
    if (!ok && error && cors) error += ` [${cors.replace(/^\[console\.error\] /, '')}]`;
    if (!ok && snap) {
      for (const w of snap.warnings) log(`player warning: ${w}`);
    }
    if (!ok) for (const line of consoleLines.slice(-20)) log(line);
    emit({
      ok,
      player: opts.player,
      currentTime: snap ? Math.round(snap.currentTime * 1000) / 1000 : 0,
      decodedFrames: snap ? snap.decodedFrames : 0,
      error: ok ? null : error,
      drm: snap ? snap.drm : false,
      ...(opts.switchAudio ? { audioTracks: audio.tracks || [], audioBefore: audio.before || null, audioAfter: audio.after || null,
        switchedAt: audio.at ?? null, audioBytesAtSwitch: audio.bytesAtSwitch ?? null, audioBytesAfter: audio.bytesAfter ?? null } : {}),
      ...(subtitles ? { subtitles } : {}),
    }, ok ? 0 : 1);
    if (opts.verbose) log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    harnessError(e && e.stack ? e.stack.split('\n')[0] : String(e), opts.player);
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    harnessError(`interrupted by ${sig}`, active.player);
    setTimeout(() => process.exit(2), 6000).unref();
    cleanup().finally(() => process.exit(2));
  });
}

main().then(
  () => process.exit(exitCode),
  (e) => { harnessError(String(e)); process.exit(2); },
);
