#!/usr/bin/env node
// Runs every panel query of Grafana dashboards (their targets' `expr`) against a Prometheus and requires data: at least
// one series, each carrying the labels the query groups by ("by (...)", bucket bounds aside). A query padded with a
// constant (`vector(...)`) is refused: it would answer whatever the farm does. Scrapes and rules take a few seconds to
// show new series, so it polls until every panel answers or --timeout runs out. Exit 0: every panel has data.
//   node scripts/dashboard-queries.mjs --prometheus http://127.0.0.1:9090 [--timeout 60] docker/grafana/*.json
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { prometheus: { type: 'string' }, timeout: { type: 'string', default: '60' } },
  allowPositionals: true,
});
if (!values.prometheus || positionals.length === 0) {
  console.error('usage: dashboard-queries.mjs --prometheus URL [--timeout SECONDS] DASHBOARD.json...');
  process.exit(2);
}

const panels = positionals.flatMap((file) =>
  JSON.parse(readFileSync(file, 'utf8')).panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ title: `${path.basename(file, '.json')}/${panel.title}`, expr: target.expr }))));
const constants = panels.filter((p) => /\bvector\(/.test(p.expr));
if (panels.length === 0 || constants.length > 0) {
  console.error(panels.length === 0 ? 'no panel queries found' : `constant queries are no evidence:\n${constants.map((p) => `  ${p.title}: ${p.expr}`).join('\n')}`);
  process.exit(1);
}

const groupLabels = (expr) =>
  [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim())).filter((l) => l && l !== 'le');

async function check(panel) {
  const url = new URL('/api/v1/query', values.prometheus);
  url.searchParams.set('query', panel.expr);
  const response = await fetch(url, { signal: AbortSignal.timeout(10000) });
  const body = await response.json();
  if (body.status !== 'success') return `query error: ${body.error ?? response.status}`;
  const series = body.data.result;
  const labels = groupLabels(panel.expr);
  const unlabelled = series.filter((s) => labels.some((l) => !(l in s.metric)));
  if (series.length === 0) return 'no series';
  if (unlabelled.length > 0) return `${unlabelled.length} of ${series.length} series lack ${labels.join(', ')}`;
  return null;
}

const deadline = Date.now() + Number(values.timeout) * 1000;
let missing;
for (;;) {
  missing = [];
  for (const panel of panels) {
    let why;
    try { why = await check(panel); } catch (e) { why = `unreachable: ${e.message}`; }
    if (why) missing.push(`  ${panel.title}: ${panel.expr} -> ${why}`);
  }
  if (missing.length === 0 || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 2000));
}
if (missing.length > 0) {
  console.error(`${missing.length} of ${panels.length} dashboard panel queries without data:\n${missing.join('\n')}`);
  process.exit(1);
}
console.log(`dashboards: all ${panels.length} panel queries returned labelled series`);
