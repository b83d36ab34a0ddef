// TranscodeFarm web console: plain DOM, no framework, no build step. Every page is the same shell (app.html); this script
// draws the page its path names from /console/api/*. Text from the farm goes in through textContent only (no innerHTML).
'use strict';

const csrf = document.querySelector('meta[name="csrf"]').content;
const main = document.getElementById('main');
const statusLine = document.getElementById('status');
const STATES = ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'];

// ---------- helpers ----------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
const svgEl = (tag, attrs) => {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
};
function say(text) { statusLine.textContent = text; }
/** Redraws without losing the keyboard's place: the focused control (by its data-key) is focused again afterwards. */
function keepingFocus(redraw) {
  const key = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
  const result = redraw();
  const refocus = () => {
    const again = key ? document.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
    if (again && again !== document.activeElement) again.focus();
  };
  if (result && typeof result.then === 'function') return result.then((v) => { refocus(); return v; });
  refocus();
  return result;
}
/** Replaces the page's content; nested arrays and absent parts (null, false) are fine. */
function show(...children) { main.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)); }
function when(iso) { return iso ? new Date(iso).toLocaleString() : ''; }
function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(1)} ${units[i]}`;
}
const pct = (f) => `${Math.round(f * 100)}%`;
function stateBadge(state) { return el('span', { class: `state state-${state}` }, state); }
/** A table that becomes stacked cards at a phone's width; each cell carries its column's name. */
function table(columns, rows, rowAttrs) {
  const body = el('tbody', {}, rows.map((cells, i) => el('tr', rowAttrs ? rowAttrs(i) : {},
    cells.map((c, j) => el('td', { 'data-label': columns[j] }, c)))));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'cards' },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c)))), body));
}

async function api(path, options = {}) {
  const response = await fetch('/console/api' + path, { credentials: 'same-origin', ...options });
  if (response.status === 401) { location.href = '/console/signin?next=' + encodeURIComponent(location.pathname); throw new Error('signed out'); }
  const body = await response.json().catch(() => ({}));
  if (!response.ok && !options.allowError) throw new Error(body.error || body.message || `HTTP ${response.status}`);
  return { status: response.status, body };
}
function post(path) {
  return api(path, { method: 'POST', headers: { 'X-Console-Csrf': csrf }, allowError: true });
}

// ---------- jobs ----------
let jobStream = null;
function streamJobs(onJobs) {
  if (jobStream) jobStream.close();
  jobStream = new EventSource('/console/api/jobs/stream');
  jobStream.addEventListener('jobs', (e) => onJobs(JSON.parse(e.data)));
  jobStream.onerror = () => say('live updates interrupted; reconnecting…');
  jobStream.onopen = () => say('');
}
window.addEventListener('pagehide', () => { if (jobStream) jobStream.close(); });

function progressCell(job) {
  if (job.state !== 'running') return job.state === 'succeeded' ? '100%' : '';
  const f = job.fraction ?? 0;
  return el('span', {}, el('progress', { max: 1, value: f, 'aria-label': `${job.stage || 'starting'} ${pct(f)}` }),
    ` ${job.stage || 'starting'} ${pct(f)}`, job.speed ? ` at ${job.speed.toFixed(1)}x` : '',
    job.cancelRequested ? ' (cancel requested)' : '');
}
function jobActions(job, after) {
  const act = async (verb, button) => {
    button.disabled = true;
    const { body } = await post(`/jobs/${encodeURIComponent(job.id)}/${verb}`);
    say(body.message || body.error || verb);
    if (after) await after();
  };
  return el('span', { class: 'actions' },
    job.canRetry ? el('button', { type: 'button', 'data-action': 'retry', 'data-key': `retry:${job.id}`, onclick: (e) => act('retry', e.currentTarget) }, 'Retry') : null,
    job.canCancel ? el('button', { type: 'button', class: 'danger', 'data-action': 'cancel', 'data-key': `cancel:${job.id}`, onclick: (e) => act('cancel', e.currentTarget) }, 'Cancel') : null);
}

async function jobsPage() {
  const params = new URLSearchParams(location.search);
  const filter = params.get('state') || '';
  const { body } = await api('/jobs' + (filter ? `?state=${encodeURIComponent(filter)}` : ''));
  const counts = el('ul', { class: 'counts', 'aria-label': 'Jobs by state' },
    STATES.map((s) => el('li', {}, el('a', { href: `/console/jobs?state=${s}` }, stateBadge(s), ` ${body.counts[s] ?? 0}`))),
    el('li', {}, el('a', { href: '/console/jobs' }, 'all')));
  const holder = el('div', { id: 'jobs' });
  show(el('h1', {}, filter ? `Jobs: ${filter}` : 'Jobs'), counts, holder);
  const draw = (jobs) => {
    const shown = filter ? jobs.filter((j) => j.state === filter) : jobs;
    holder.replaceChildren(shown.length === 0 ? el('p', { class: 'muted' }, 'No jobs.') : table(
      ['Job', 'State', 'Source', 'Profile', 'Attempts', 'Progress', 'Updated', 'Error', 'Actions'],
      shown.map((j) => [
        el('a', { href: `/console/jobs/${encodeURIComponent(j.id)}`, 'data-key': `job:${j.id}` }, j.id), stateBadge(j.state), j.title || j.source, j.profile,
        `${j.attempts}/${j.maxAttempts}`, progressCell(j), when(j.updated), j.error ? el('span', { class: 'error' }, j.error) : '',
        jobActions(j, null),
      ]),
      (i) => ({ 'data-job-id': shown[i].id, 'data-state': shown[i].state, 'data-fraction': shown[i].fraction ?? '', 'data-stage': shown[i].stage ?? '' })));
  };
  draw(body.jobs);
  streamJobs((jobs) => keepingFocus(() => draw(jobs)));
}

async function jobPage(id) {
  const draw = async () => {
    const { body } = await api(`/jobs/${encodeURIComponent(id)}`);
    const j = body.job;
    const o = body.outputs;
    show(
      el('h1', {}, `Job ${j.id}`),
      el('dl', { class: 'facts', 'data-job-id': j.id, 'data-state': j.state, 'data-fraction': j.fraction ?? '' },
        el('dt', {}, 'State'), el('dd', {}, stateBadge(j.state), ` attempt ${j.attempts} of ${j.maxAttempts}`),
        el('dt', {}, 'Progress'), el('dd', {}, progressCell(j)),
        el('dt', {}, 'Source'), el('dd', {}, `${j.source} (${body.origin})`),
        el('dt', {}, 'Profile'), el('dd', {}, `${j.profile}, priority ${j.priority}`),
        j.capability ? [el('dt', {}, 'Needs'), el('dd', {}, j.capability)] : null,
        j.worker ? [el('dt', {}, 'Worker'), el('dd', {}, j.worker)] : null,
        o ? [el('dt', {}, 'Asset'), el('dd', {}, el('a', { href: `/console/assets/${encodeURIComponent(o.asset)}` }, o.asset))] : null),
      jobActions(j, draw),
      body.fullError ? [el('h2', {}, 'Error'), el('pre', { class: 'error' }, body.fullError)] : null,
      o ? outputsView(o) : null,
      el('h2', {}, 'History'),
      table(['When', 'State', 'Worker', 'What'], body.events.map((e) => [when(e.at), e.state, e.worker || '', e.message || ''])));
  };
  await draw();
  let last = '';
  streamJobs((jobs) => {
    const row = jobs.find((x) => x.id === id);
    const key = JSON.stringify(row || null);
    if (row && key !== last) { last = key; keepingFocus(draw).catch((e) => say(e.message)); }
  });
}

function outputsView(o) {
  return [
    el('h2', {}, 'Renditions'),
    table(['Name', 'Kind', 'Size', 'Bitrate', 'Codec', 'Colour'], o.renditions.map((r) => [
      r.name, r.kind, r.width ? `${r.width}×${r.height}` : '', `${r.bitrateKbps} kbit/s`, r.codec, r.colour || ''])),
    el('p', { class: 'muted' }, `${o.objects} objects, ${bytes(o.bytes)}, ${o.durationSeconds.toFixed(1)} s, generation ${o.generation}`,
      o.sourceScan ? `; source: ${o.sourceScan}` : '', o.aliasOf ? `; duplicates asset ${o.aliasOf} (not encoded)` : ''),
    o.notes.length ? el('ul', {}, o.notes.map((n) => el('li', {}, n))) : null,
    el('h2', {}, 'Fingerprint matches'),
    o.matches.length === 0 ? el('p', { class: 'muted' }, 'No catalog matches.') : table(['Kind', 'Collection', 'Entry', 'Name', 'Score', 'Offset', 'Matched'],
      o.matches.map((m) => [m.kind, m.collection, m.entry, m.name, m.score.toFixed(2), `${m.offsetSeconds.toFixed(1)} s`, `${m.matchedSeconds.toFixed(1)} s`])),
  ];
}

// ---------- workers ----------
async function workersPage() {
  const { body } = await api('/workers');
  show(el('h1', {}, 'Workers'), body.workers.length === 0 ? el('p', { class: 'muted' }, 'No worker has registered.') : table(
    ['Worker', 'Host', 'Capabilities', 'Slots', 'Version', 'Started', 'Heartbeat', 'Status'],
    body.workers.map((w) => [w.id, w.host, w.capabilities.join(', ') || '—', w.slots, w.version, when(w.started),
      `${Math.round(w.heartbeatAgeSeconds)} s ago`, el('span', { class: w.alive ? 'alive' : 'silent' }, w.alive ? 'alive' : 'silent')]),
    (i) => ({ 'data-worker-id': body.workers[i].id })));
}

// ---------- assets and the player ----------
async function assetsPage() {
  const { body } = await api('/assets');
  show(el('h1', {}, 'Assets'), body.assets.length === 0 ? el('p', { class: 'muted' }, 'No assets yet.') : table(
    ['Asset', 'State', 'Generation', 'Renditions', 'DRM', 'Token', 'Matches', 'Source'],
    body.assets.map(({ row: a }) => [
      el('a', { href: `/console/assets/${encodeURIComponent(a.asset)}` }, a.asset), stateBadge(a.state), a.generation,
      a.outputs ? a.outputs.renditions.length : '', a.drm ? `${a.drm.scheme} (${a.drm.systems.join(', ')})` : 'clear',
      a.requireToken ? 'required' : 'no', a.outputs ? a.outputs.matches.length : '', a.source || '']),
    (i) => ({ 'data-asset': body.assets[i].row.asset })));
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (document.querySelector(`script[src="${src}"]`)) { resolve(); return; }
    const s = el('script', { src });
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

let activePlayer = null;
async function stopPlayer() {
  const p = activePlayer;
  activePlayer = null;
  if (p) await p.destroy();
}

async function play(video, kind, url, licenseUrl, report) {
  await stopPlayer();
  report(`loading ${kind}…`);
  if (kind === 'hlsjs') {
    await loadScript('/console/static/vendor/hls.min.js');
    const config = {};
    if (licenseUrl) { config.emeEnabled = true; config.drmSystems = { 'org.w3.clearkey': { licenseUrl } }; }
    const hls = new window.Hls(config);
    hls.on(window.Hls.Events.ERROR, (_, data) => { if (data.fatal) report(`hls.js: ${data.type}/${data.details}`); });
    hls.loadSource(url);
    hls.attachMedia(video);
    activePlayer = hls;
  } else {
    await loadScript('/console/static/vendor/shaka-player.compiled.js');
    window.shaka.polyfill.installAll();
    const player = new window.shaka.Player();
    await player.attach(video);
    if (licenseUrl) player.configure({ drm: { servers: { 'org.w3.clearkey': licenseUrl } } });
    player.addEventListener('error', (e) => report(`shaka: error ${e.detail && e.detail.code}`));
    activePlayer = player;
    await player.load(url);
  }
  report(`playing with ${kind}`);
  await video.play().catch(() => report('press play to start'));
}

async function assetPage(id) {
  const { status, body: entry } = await api(`/assets/${encodeURIComponent(id)}`, { allowError: true });
  if (status === 404) { show(el('h1', {}, `Asset ${id}`), el('p', { class: 'error' }, entry.error)); return; }
  const body = entry;
  const a = entry.row;
  const o = a.outputs;
  const withToken = (path) => entry.token ? `${path}?token=${encodeURIComponent(entry.token)}` : path;
  const licenseUrl = a.drm && a.drm.systems.includes('clearkey') && entry.token ? `/license/clearkey/${encodeURIComponent(a.asset)}?token=${encodeURIComponent(entry.token)}` : null;
  const video = el('video', { id: 'player', controls: true, muted: true, playsinline: true, 'aria-label': `Preview of ${a.asset}` });
  video.muted = true;
  const playerStatus = el('p', { id: 'player-status', role: 'status' });
  const report = (t) => { playerStatus.textContent = t; };
  const missing = [!body.players.hlsjs ? 'hls.js' : null, !body.players.shaka ? 'shaka-player' : null].filter(Boolean);
  const choices = [];
  if (o && a.state === 'published') {
    const start = (kind, url) => play(video, kind, withToken(url), licenseUrl, report).catch((e) => report(e.message));
    if (body.players.hlsjs) choices.push(el('button', { type: 'button', 'data-player': 'hlsjs', onclick: () => start('hlsjs', o.hls) }, 'Play HLS (hls.js)'));
    if (body.players.shaka && o.dash) choices.push(el('button', { type: 'button', 'data-player': 'shaka-dash', onclick: () => start('shaka', o.dash) }, 'Play DASH (shaka)'));
    if (body.players.shaka) choices.push(el('button', { type: 'button', 'data-player': 'shaka-hls', onclick: () => start('shaka', o.hls) }, 'Play HLS (shaka)'));
  }
  show(
    el('h1', {}, `Asset ${a.asset}`),
    el('dl', { class: 'facts' },
      el('dt', {}, 'State'), el('dd', {}, stateBadge(a.state), a.reason ? ` ${a.reason}` : ''),
      el('dt', {}, 'Generation'), el('dd', {}, `${a.generation} (change ${a.changeSeq}, ${when(a.changed)})`),
      el('dt', {}, 'DRM'), el('dd', {}, a.drm ? `${a.drm.scheme}, systems ${a.drm.systems.join(', ')}${a.drm.keySet ? `, key set ${a.drm.keySet}` : ''}` : 'clear'),
      el('dt', {}, 'Playback token'), el('dd', {}, a.requireToken ? 'required (the console signs one for an hour)' : 'not required'),
      a.job ? [el('dt', {}, 'Job'), el('dd', {}, el('a', { href: `/console/jobs/${encodeURIComponent(a.job)}` }, a.job), ` (${a.source})`)] : null,
      o ? [el('dt', {}, 'HLS'), el('dd', {}, el('code', {}, o.hls))] : null,
      o && o.dash ? [el('dt', {}, 'DASH'), el('dd', {}, el('code', {}, o.dash))] : null),
    el('h2', {}, 'Preview'),
    missing.length ? el('p', { class: 'error', id: 'players-missing' },
      `Player files missing from this build: ${missing.join(', ')}. Run scripts/player-deps.sh (npm ci in src/TranscodeFarm.WebConsole/player) and build again.`) : null,
    a.state !== 'published' ? el('p', { class: 'muted' }, 'Not published: nothing to play.') : null,
    el('div', { class: 'player-choice' }, choices),
    video, playerStatus,
    o ? outputsView(o) : null);
}

// ---------- drop folder and S3 ingest prefix ----------
function failuresTable(failures) {
  return failures.length === 0 ? el('p', { class: 'muted' }, 'No failed files.')
    : table(['File', 'State', 'Reason', 'Detail', 'Profile', 'Attempts', 'Failed', 'Job'], failures.map((f) => [
      f.file + (f.present ? '' : ' (gone)'), f.state ? stateBadge(f.state) : '', el('span', { class: 'error' }, f.reason || ''),
      f.detail ? el('details', {}, el('summary', {}, 'more'), el('pre', {}, f.detail)) : '', f.profile || '', f.attempts ?? '',
      when(f.failedAt), f.jobId ? el('a', { href: `/console/jobs/${encodeURIComponent(f.jobId)}` }, f.jobId) : '']),
    (i) => ({ 'data-file': failures[i].file }));
}

async function dropPage() {
  const { body } = await api('/drop');
  const s3 = body.s3
    ? [el('h2', {}, 'S3 ingest prefix: failed objects'), el('p', { class: 'muted' }, body.s3.location),
      body.s3.error ? el('p', { class: 'error' }, `cannot list it: ${body.s3.error}`) : el('div', { id: 's3-failures' }, failuresTable(body.s3.failures))]
    : [];
  show(el('h1', {}, 'Drop folder: failed files'), el('p', { class: 'muted' }, body.folder),
    !body.present ? el('p', { class: 'muted' }, 'There is no drop folder on this host.') : el('div', { id: 'drop-failures' }, failuresTable(body.failures)),
    ...s3);
}

// ---------- edge ----------
/** An inline SVG chart over a fixed window of `slots` samples, the newest at the right edge. */
function chart(title, points, value, format, max, kind, slots) {
  const w = 600, h = 160, pad = 28;
  const svg = svgEl('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart', role: 'img', 'aria-label': title });
  const top = Math.max(max ?? Math.max(0, ...points.map(value)), 1e-9);
  const step = (w - pad) / slots;
  const x = (i) => pad + (slots - points.length + i) * step;
  const y = (v) => h - pad / 2 - (v / top) * (h - pad);
  if (kind === 'bars') {
    points.forEach((p, i) => { const v = value(p); svg.append(svgEl('rect', { class: 'bar', x: x(i), y: y(v), width: Math.max(step - 0.5, 1), height: h - pad / 2 - y(v) })); });
  } else {
    const d = points.map((p, i) => [i, value(p)]).filter(([, v]) => v !== null).map(([i, v], k) => `${k ? 'L' : 'M'}${x(i) + step / 2},${y(v)}`).join('');
    if (d) svg.append(svgEl('path', { class: 'line', d }));
  }
  const label = svgEl('text', { x: 2, y: 12 });
  label.textContent = format(top);
  const zero = svgEl('text', { x: 2, y: h - 4 });
  zero.textContent = '0';
  const now = svgEl('text', { x: w - 26, y: h - 4 });
  now.textContent = 'now';
  svg.append(label, zero, now);
  return el('figure', {}, el('figcaption', {}, title), svg);
}

async function edgePage() {
  const draw = async () => {
    const { body } = await api('/edge');
    const t = body.totals;
    const pts = body.points;
    const mbit = (p) => (p.bytes * 8) / body.intervalSeconds / 1e6;
    show(el('h1', {}, 'Edge'),
      el('ul', { class: 'counts', id: 'edge-totals' },
        el('li', {}, `requests ${t.requests}`),
        el('li', {}, `hit ratio ${t.requests ? pct(t.requestsFromCache / t.requests) : '—'}`),
        el('li', {}, `served ${bytes(t.bytes)}`),
        el('li', {}, `byte hit ratio ${t.bytes ? pct(t.bytesFromCache / t.bytes) : '—'}`)),
      el('p', { class: 'muted' }, `This edge's own counters since it started; the charts show the last ${Math.round(body.keptPoints * body.intervalSeconds / 60)} minutes in steps of ${body.intervalSeconds} s.`),
      chart('Bandwidth to players (Mbit/s)', pts, mbit, (v) => `${v.toFixed(2)} Mbit/s`, null, 'bars', body.keptPoints),
      chart('Cache hit ratio (requests served from cache)', pts, (p) => (p.requests ? p.fromCache / p.requests : null), (v) => pct(v), 1, 'line', body.keptPoints));
  };
  await draw();
  setInterval(() => draw().catch((e) => say(e.message)), 2000);
}

// ---------- routing ----------
async function route() {
  const parts = location.pathname.replace(/^\/console\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const page = parts[0] || 'jobs';
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  document.title = `${page[0].toUpperCase()}${page.slice(1)} · TranscodeFarm console`;
  if (page === 'jobs' && parts[1]) return jobPage(parts[1]);
  if (page === 'assets' && parts[1]) return assetPage(parts[1]);
  const pages = { jobs: jobsPage, workers: workersPage, assets: assetsPage, drop: dropPage, edge: edgePage };
  return (pages[page] || jobsPage)();
}
route().then(() => { document.body.dataset.ready = 'true'; }).catch((e) => { say(e.message); main.append(el('p', { class: 'error' }, e.message)); });
