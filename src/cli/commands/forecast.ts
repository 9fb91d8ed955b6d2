import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Polygon } from '../../geo/square-grid';
import { CANDIDATES, type ModelParams } from '../../forecast/hotspot-models';
import { nijForecast, snapshotHash, type InputEvent } from '../../forecast/nij-run';
import { forecasterModelCard } from '../../forecast/model-card';
import { storeGeneratedModelCard } from '../../registry/service';
import { backtest, pairedDifference, windowEnd } from '../../forecast/rolling-backtest';
import { buildGrid, cellOf } from '../../geo/square-grid';
import { resolveProfile } from '../../ingest/profiles';
import { readIncidents } from '../../ingest/read-incidents';
import { loadTaxonomy } from '../../ingest/taxonomy';
import { requirePurpose } from '../../privacy/sources';
import { CLI_ACTOR, openLedger, openMigratedStore } from '../common';

const FT_PER_MI = 5280;

/** `250ft`, `76m` (in CRS units: feet for EPSG:2913). */
function length(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ft|m)?$/.exec(v);
  if (!m) throw new Error(`expected a length like 250ft, got ${v}`);
  return Number(m[1]);
}
/** `0.25sqmi` → square feet; `6969600` → as given. */
function area(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(sqmi|sqft)?$/.exec(v);
  if (!m) throw new Error(`expected an area like 0.25sqmi, got ${v}`);
  return m[2] === 'sqmi' ? Number(m[1]) * FT_PER_MI * FT_PER_MI : Number(m[1]);
}
function model(v: string): ModelParams | 'auto' {
  if (v === 'auto') return 'auto';
  const [name, a, b] = v.split(':');
  if (name === 'naive') return { name: 'naive' };
  if (name === 'recent') return { name: 'recent', days: Number(a ?? 365) };
  if (name === 'bjp') return { name: 'bjp', bandwidthCells: Number(a ?? 2), weeks: Number(b ?? 8) };
  if (name === 'kde') return { name: 'kde', bandwidthCells: Number(a ?? 1.5), halfLifeDays: Number(b ?? 180) };
  throw new Error(`unknown model ${v}: auto | naive | recent:DAYS | bjp:CELLS:WEEKS | kde:SIGMA:HALFLIFE`);
}

async function loadInputs(files: string[], profileName: string, taxonomyFile: string) {
  const profile = resolveProfile(profileName);
  const events: InputEvent[] = [];
  for (const f of files) {
    await readIncidents(f, profile, loadTaxonomy(taxonomyFile), (rows) => {
      for (const r of rows) events.push({ id: r.source_id, t: Date.parse(r.occurred_at), x: r.x, y: r.y, origin: r.origin });
    });
  }
  return { events, crs: profile.crs };
}

function loadBoundary(file: string): Polygon[] {
  const fc = JSON.parse(readFileSync(file, 'utf8'));
  return fc.features.flatMap((f: { geometry: { type: string; coordinates: Polygon | Polygon[] } }) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : []));
}

function codeVersion(): string {
  try {
    return `counterweight@0.1.0+${execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()}`;
  } catch {
    return 'counterweight@0.1.0';
  }
}

export function registerForecast(program: Command) {
  program
    .command('forecast')
    .description('forecast hotspots NIJ-style from incidents strictly before --as-of; writes every grid cell as GeoJSON in the data CRS')
    .requiredOption('--incidents <files...>', 'incident CSV file(s)')
    .requiredOption('--profile <name>', 'profile of the incident files (e.g. portland-nij)')
    .requiredOption('--boundary <file>', 'jurisdiction GeoJSON in the same CRS as the incidents')
    .requiredOption('--as-of <date>', 'forecast origin YYYY-MM-DD (only earlier incidents are used)')
    .option('--window <w>', '7d | 14d | 1mo | 2mo | 3mo', '7d')
    .option('--cell <len>', 'cell side, e.g. 250ft', '250ft')
    .option('--hotspot-area <area>', 'minimum hotspot area, e.g. 0.25sqmi', '0.25sqmi')
    .option('--max-area <area>', 'maximum hotspot area', '0.75sqmi')
    .option('--model <m>', 'auto | naive | recent:DAYS | bjp:CELLS:WEEKS | kde:SIGMA:HALFLIFE', 'auto')
    .option('--seed <n>', 'seed for tie-breaking and bootstraps', '1')
    .option('--include-officer-initiated', 'also learn from enforcement-driven records (recorded and shown on every output)')
    .option('--taxonomy <file>', 'incident type → origin taxonomy', 'config/taxonomy.json')
    .requiredOption('--out <file>', 'output GeoJSON (explanations and the run record are written beside it)')
    .option('--source <id>', 'registered data source of the incidents (default: the profile\'s); it must allow patrol-forecasting')
    .action(async (o) => {
      // Purpose limitation: a model run may use a source only for a purpose it allows (the refusal is logged).
      const store = await openMigratedStore();
      try {
        await requirePurpose(store, openLedger(store), CLI_ACTOR, o.source ?? resolveProfile(o.profile).source, 'patrol-forecasting', `forecast as of ${o.asOf}`);
      } finally {
        await store.close();
      }
      const { events, crs } = await loadInputs(o.incidents, o.profile, o.taxonomy);
      const cfg = { asOf: o.asOf, window: o.window, cellSize: length(o.cell), areaMin: area(o.hotspotArea), areaMax: area(o.maxArea), model: model(o.model), seed: Number(o.seed), includeOfficerInitiated: !!o.includeOfficerInitiated, crs };
      const r = nijForecast(loadBoundary(o.boundary), events, cfg, codeVersion());
      writeFileSync(o.out, JSON.stringify(r.geojson));
      writeFileSync(o.out.replace(/\.geojson$|$/, '.explanations.json'), JSON.stringify(r.explanations, null, 2));
      writeFileSync(o.out.replace(/\.geojson$|$/, '.run.json'), JSON.stringify(r.run, null, 2));
      process.stdout.write(`${o.out}: ${r.geojson.features.length} cells, ${r.run.hotspotCells} hotspots (${(r.run.hotspotArea / FT_PER_MI / FT_PER_MI).toFixed(3)} sq mi) by ${r.run.model}; ${r.run.trainingEvents} training incidents (${r.run.dataPolicy}); snapshot ${r.run.dataSnapshotHash.slice(0, 12)}…\n`);
    });

  program
    .command('backtest')
    .description('rolling-origin backtest: PAI and PEI per model and window, mean with bootstrap 95% intervals; prints JSON')
    .requiredOption('--incidents <files...>', 'incident CSV file(s)')
    .requiredOption('--profile <name>', 'profile of the incident files')
    .requiredOption('--boundary <file>', 'jurisdiction GeoJSON in the incidents\' CRS')
    .requiredOption('--from <date>', 'first origin YYYY-MM-DD')
    .requiredOption('--to <date>', 'last origin YYYY-MM-DD (windows must end by the data\'s end)')
    .option('--step <days>', 'days between origins', '7')
    .option('--windows <list>', 'comma-separated windows', '7d,14d,1mo,2mo,3mo')
    .option('--cell <len>', 'cell side', '250ft')
    .option('--hotspot-area <area>', 'minimum hotspot area', '0.25sqmi')
    .option('--max-area <area>', 'maximum hotspot area', '0.75sqmi')
    .option('--models <list>', 'comma-separated models (default: every candidate)')
    .option('--seed <n>', 'seed', '1')
    .option('--taxonomy <file>', 'taxonomy', 'config/taxonomy.json')
    .option('--system <id>', 'store the run and generate the model card of this registered system')
    .option('--version <n>', 'system version for --system', '1')
    .action(async (o) => {
      const { events } = await loadInputs(o.incidents, o.profile, o.taxonomy);
      const grid = buildGrid(loadBoundary(o.boundary), length(o.cell));
      const ge = events.filter((e) => e.origin === 'citizen').map((e) => ({ cell: cellOf(grid, e.x, e.y), t: e.t, id: e.id }));
      const last = Math.max(...ge.map((e) => e.t)) + 86_400_000;
      const windows = String(o.windows).split(',');
      const origins: number[] = [];
      for (let t = Date.parse(`${o.from}T00:00:00Z`); t <= Date.parse(`${o.to}T00:00:00Z`); t += Number(o.step) * 86_400_000) origins.push(t);
      const models = o.models ? String(o.models).split(',').map((m) => model(m) as ModelParams) : CANDIDATES;
      const perWindow = windows.map((w) => backtest(grid, ge, { origins: origins.filter((t) => windowEnd(t, w) <= last), windows: [w], models, areaMin: area(o.hotspotArea), areaMax: area(o.maxArea), seed: Number(o.seed) }));
      const summary = perWindow.flatMap((b) => b.summary).map((s) => ({ model: s.model, window: s.window, origins: s.pai.n, pai: { mean: +s.pai.mean.toFixed(2), ci95: [+s.pai.lo.toFixed(2), +s.pai.hi.toFixed(2)] as [number, number] }, pei: { mean: +s.pei.mean.toFixed(3), ci95: [+s.pei.lo.toFixed(3), +s.pei.hi.toFixed(3)] as [number, number] } }));
      const rows = perWindow.flatMap((b) => b.rows);
      const best = windows.map((w) => summary.filter((s) => s.window === w).reduce((a, b) => (b.pai.mean > a.pai.mean ? b : a)));
      const naive = summary.find((s) => s.model === 'all-history counts')?.model;
      const paired = naive ? best.map((b) => ({ window: b.window, vs: naive, model: b.model, diff: pairedDifference(rows, b.model, naive, b.window, Number(o.seed)) })) : [];
      const result = { cellSize: o.cell, hotspotArea: o.hotspotArea, origins: origins.length, summary, best, paired };
      if (o.system) {
        const citizen = events.filter((e) => e.origin === 'citizen');
        const snapshot = snapshotHash(citizen);
        const config = { incidents: o.incidents, profile: o.profile, from: o.from, to: o.to, step: o.step, windows, cell: o.cell, hotspotArea: o.hotspotArea, maxArea: o.maxArea };
        const store = await openMigratedStore();
        try {
          const ledger = openLedger(store);
          const entry = await ledger.append({ type: 'model.backtest', actor: CLI_ACTOR, subjects: [`system:${o.system}`], payload: { dataSnapshotHash: snapshot, config, codeVersion: codeVersion(), seed: Number(o.seed), best } });
          await store.db.insertInto('backtest_runs').values({ system_id: o.system, version: Number(o.version), created_at: new Date().toISOString(), data_snapshot_hash: snapshot, config: JSON.stringify(config), code_version: codeVersion(), seed: Number(o.seed), summary: JSON.stringify(summary), log_index: entry.index }).execute();
          const audit = await store.db.selectFrom('audits').selectAll().where('system_id', '=', o.system).orderBy('run_at', 'desc').limit(1).executeTakeFirst();
          const card = forecasterModelCard({
            summary, dataSnapshotHash: snapshot, source: resolveProfile(o.profile).source, events: citizen.length,
            period: { from: new Date(Math.min(...citizen.map((e) => e.t))).toISOString().slice(0, 10), to: new Date(Math.max(...citizen.map((e) => e.t))).toISOString().slice(0, 10) },
            config, codeVersion: codeVersion(),
            latestAudit: audit ? { id: audit.id, passed: audit.passed === 1, runAt: audit.run_at, failures: (JSON.parse(audit.report) as { failures?: string[] }).failures ?? [] } : null,
          });
          await storeGeneratedModelCard(store, ledger, CLI_ACTOR, o.system, Number(o.version), card);
          await ledger.drain();
          process.stderr.write(`stored backtest (log entry ${entry.index}) and generated the model card of ${o.system} v${o.version}\n`);
        } finally {
          await store.close();
        }
      }
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}
