/**
 * `counterweight forecast`, `counterweight backtest` and `counterweight reproduce`: the CLI adapter of
 * the pure forecaster (src/forecast) and grid (src/geo). Files in, files (or JSON on stdout) out; the
 * only store access is the purpose check on the data source and, with `--system`, storing a backtest
 * and the model card generated from it.
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { codeVersion } from '../../domain/code-version';
import {
  FORECAST_WINDOWS,
  modelChoices,
  parseArea,
  parseCount,
  parseDate,
  parseLength,
  parseModel,
  parseWindow,
  applyDataPolicy,
  backtest,
  compareModels,
  defaultCandidates,
  forecastGeoJsonChunks,
  forecastShapefile,
  originsBetween,
  prepare,
  reproduceForecast,
  runForecast,
  dataSnapshotHash,
  DAY_MS,
  type Candidate,
  type ForecastConfig,
  type ForecastIncident,
  type ModelParams,
  type RunRecord,
} from '../../forecast';
import { InputError } from '../../domain/errors';
import {
  buildGrid,
  crsUnitMetres,
  jurisdictionFromGeoJson,
  projector,
  utmZoneCode,
  type MultiPolygon,
} from '../../geo';
import { resolveProfile } from '../../ingest/profiles';
import { readIncidents } from '../../ingest/read-incidents';
import { loadTaxonomy } from '../../ingest/taxonomy';
import { requirePurpose } from '../../privacy/sources';
import { forecasterModelCard } from '../../forecast-service/forecaster-card';
import { storeGeneratedModelCard } from '../../registry/register';
import { CLI_ACTOR, cliLang, openLedger, openMigratedStore } from '../common';
import { msg, render } from '../../domain/messages';

const M_PER_MI = 1609.344;
const WINDOWS = FORECAST_WINDOWS;

export interface LoadedInputs {
  incidents: ForecastIncident[];
  jurisdiction: MultiPolygon;
  /** The projected CRS the computation runs in (lon/lat data is projected into its local UTM zone). */
  crs: string;
}

/**
 * Read incident files through a profile and the jurisdiction boundary; lon/lat inputs (EPSG:4326) are
 * projected into the UTM zone of the boundary's first vertex, so cells and distances are in metres.
 * Bad rows stop the run (a forecast on silently partial data would mislead), naming file, row, field,
 * unless the caller asks to skip them — then how many were skipped is printed.
 */
export async function loadForecastInputs(
  files: string[],
  profileName: string,
  boundaryFile: string,
  taxonomyFile: string,
  skipInvalid = false,
): Promise<LoadedInputs> {
  const profile = resolveProfile(profileName);
  let geo: unknown;
  try {
    geo = JSON.parse(readFileSync(boundaryFile, 'utf8'));
  } catch (e) {
    throw new InputError(msg('cli.cannotReadBoundary', { file: boundaryFile, reason: (e as Error).message }), [
      { file: boundaryFile, expected: "a GeoJSON Polygon/MultiPolygon file in the incidents' CRS" },
    ]);
  }
  let jurisdiction = jurisdictionFromGeoJson(geo, boundaryFile);
  let crs = profile.crs;
  let project = (x: number, y: number): [number, number] => [x, y];
  if (crs === 'EPSG:4326') {
    const [lon, lat] = jurisdiction[0][0][0];
    crs = utmZoneCode(lon, lat);
    project = projector('EPSG:4326', crs);
    jurisdiction = jurisdiction.map((poly) => poly.map((ring) => ring.map(([x, y]) => project(x, y))));
  }
  const taxonomy = loadTaxonomy(taxonomyFile);
  const incidents: ForecastIncident[] = [];
  for (const f of files) {
    const summary = await readIncidents(f, profile, taxonomy, (rows) => {
      for (const r of rows) {
        const [x, y] = project(r.x, r.y);
        incidents.push({
          id: r.source_id,
          type: r.type,
          origin: r.origin,
          t: Date.parse(r.occurred_at),
          timePrecision: r.time_precision as ForecastIncident['timePrecision'],
          x,
          y,
        });
      }
    });
    if (summary.errorCount && !skipInvalid)
      throw new InputError(msg('cli.badRows', { file: f, count: summary.errorCount }), summary.errors);
    if (summary.errorCount)
      process.stderr.write(`${render(msg('cli.skippedRows', { file: f, count: summary.errorCount }), cliLang())}\n`);
  }
  return { incidents, jurisdiction, crs };
}

async function checkPurpose(source: string, why: string) {
  // Purpose limitation: a model run may use a source only for a purpose it allows (the refusal is logged).
  const store = await openMigratedStore();
  try {
    await requirePurpose(store, await openLedger(store), CLI_ACTOR, source, 'patrol-forecasting', why);
  } finally {
    await store.close();
  }
}

const sidecar = (out: string, suffix: string) => out.replace(/\.(geojson|json|shp)$|$/, suffix);

export function registerForecast(program: Command) {
  program
    .command('forecast')
    .description(
      'forecast hotspots NIJ-style from incidents strictly before --as-of; writes every grid cell (GeoJSON or shapefile) in the data CRS, explanations and the run record beside it',
    )
    .requiredOption('--incidents <files...>', 'incident CSV file(s)')
    .requiredOption('--profile <name>', 'profile of the incident files (e.g. portland-nij)')
    .requiredOption('--boundary <file>', 'jurisdiction GeoJSON in the same CRS as the incidents')
    .requiredOption('--as-of <date>', 'forecast origin YYYY-MM-DD (only earlier incidents are used)')
    .option('--window <w>', WINDOWS.join(' | '), '7d')
    .option(
      '--cell <len>',
      'cell side, e.g. 250ft or 100m, or auto (rectangles whose area divides the flagged area, chosen by backtest)',
      '250ft',
    )
    .option('--rotate <deg>', 'rotate the lattice counter-clockwise by this many degrees', '0')
    .option(
      '--hotspot-area <area>',
      'minimum hotspot area, e.g. 0.25sqmi, or auto (0.25–0.75 sq mi chosen by backtest)',
      '0.25sqmi',
    )
    .option('--max-area <area>', 'maximum hotspot area', '0.75sqmi')
    .option('--model <m>', modelChoices(), 'auto')
    .option('--auto-origins <n>', 'weekly backtest origins before --as-of that `auto` chooses on', '26')
    .option('--seed <n>', 'seed for tie-breaking', '1')
    .option(
      '--include-officer-initiated',
      'also learn from enforcement-driven records (recorded and shown on every output)',
    )
    .option('--format <f>', 'geojson | shapefile', 'geojson')
    .option('--taxonomy <file>', 'incident type → origin taxonomy', 'config/taxonomy.json')
    .option('--skip-invalid', 'skip rows that fail validation (their count is printed) instead of stopping')
    .requiredOption('--out <file>', 'output file (.geojson, or the .shp of a shapefile)')
    .option(
      '--source <id>',
      "registered data source of the incidents (default: the profile's); it must allow patrol-forecasting",
    )
    .action(async (o) => {
      if (o.format !== 'geojson' && o.format !== 'shapefile')
        throw new InputError(
          msg('cli.badOption', { option: '--format', value: String(o.format), expected: 'geojson | shapefile' }),
          [{ field: 'format', expected: 'geojson | shapefile', got: o.format }],
        );
      const window = parseWindow(o.window, 'window');
      parseDate(o.asOf, 'as-of');
      await checkPurpose(o.source ?? resolveProfile(o.profile).source, `forecast as of ${o.asOf}`);
      const input = await loadForecastInputs(o.incidents, o.profile, o.boundary, o.taxonomy, !!o.skipInvalid);
      const unit = crsUnitMetres(input.crs);
      const rotate = Number(o.rotate);
      if (!Number.isFinite(rotate))
        throw new InputError(
          msg('cli.badOption', { option: '--rotate', value: String(o.rotate), expected: 'degrees' }),
          [{ field: 'rotate', expected: 'degrees', got: o.rotate }],
        );
      const cellAuto = o.cell === 'auto',
        areaAuto = o.hotspotArea === 'auto';
      const config: ForecastConfig = {
        asOf: o.asOf,
        window,
        crs: input.crs,
        grid: { cellSize: parseLength(cellAuto ? '250ft' : o.cell, unit, 'cell'), angleDeg: rotate },
        hotspotArea: {
          minArea: parseArea(areaAuto ? '0.25sqmi' : o.hotspotArea, unit, 'hotspot-area'),
          maxArea: parseArea(o.maxArea, unit, 'max-area'),
        },
        ...(cellAuto || areaAuto ? { autoGeometry: { cell: cellAuto, area: areaAuto, unitMetres: unit } } : {}),
        model: parseModel(o.model, unit),
        autoOrigins: parseCount(o.autoOrigins, 'auto-origins', 520) || undefined,
        seed: parseCount(o.seed, 'seed', 2 ** 31 - 1),
        policy: { includeOfficerInitiated: !!o.includeOfficerInitiated },
      };
      const r = runForecast({
        jurisdiction: input.jurisdiction,
        incidents: input.incidents,
        config,
        codeVersion: codeVersion(),
      });
      if (o.format === 'shapefile') {
        const shp = forecastShapefile(r);
        const base = o.out.replace(/\.shp$/, '');
        for (const ext of ['shp', 'shx', 'dbf', 'prj'] as const) writeFileSync(`${base}.${ext}`, shp[ext]);
      } else {
        // written in pieces: the whole text and every cell's polygon object never exist at once
        const fd = openSync(o.out, 'w');
        try {
          for (const chunk of forecastGeoJsonChunks(r)) writeSync(fd, chunk);
        } finally {
          closeSync(fd);
        }
      }
      writeFileSync(sidecar(o.out, '.explanations.json'), JSON.stringify(r.explanations, null, 2));
      writeFileSync(sidecar(o.out, '.run.json'), JSON.stringify(r.run, null, 2));
      const sqmi = (a: number) => (a * unit * unit) / M_PER_MI ** 2;
      process.stdout.write(
        `${o.out}: ${r.run.cells} cells, ${r.run.hotspotCells} hotspots (${sqmi(r.run.hotspotArea).toFixed(3)} sq mi) by ${r.run.model}; ` +
          `${r.run.trainingIncidents} training incidents (${r.run.dataPolicy.label}); window ${r.run.window.start.slice(0, 10)}…${r.run.window.lastDay}; snapshot ${r.run.dataSnapshotHash.slice(0, 12)}…\n`,
      );
      if (r.run.geometry?.area)
        process.stdout.write(
          `--hotspot-area auto chose ${r.run.geometry.area.chosenSqMi} sq mi: ${r.run.geometry.area.reason}\n`,
        );
      if (r.run.geometry?.cell)
        process.stdout.write(`--cell auto chose ${r.run.geometry.cell.chosen}: ${r.run.geometry.cell.reason}\n`);
      if (r.run.selection)
        process.stdout.write(
          `auto chose by backtest before ${o.asOf}: ${r.run.selectionReason}; mean PAI ${r.run.selection.map((s) => `${s.model} ${s.mean.toFixed(2)} [${s.ci95[0].toFixed(1)}, ${s.ci95[1].toFixed(1)}]`).join('; ')}\n`,
        );
    });

  program
    .command('reproduce')
    .description(
      're-run a forecast from its run record and the same incidents; checks the data snapshot and that the risk is bit-for-bit identical',
    )
    .requiredOption('--run <file>', 'the .run.json written by `counterweight forecast`')
    .requiredOption('--incidents <files...>', 'incident CSV file(s)')
    .requiredOption('--profile <name>', 'profile of the incident files')
    .requiredOption('--boundary <file>', 'jurisdiction GeoJSON')
    .option('--taxonomy <file>', 'taxonomy', 'config/taxonomy.json')
    .option('--skip-invalid', 'skip rows that fail validation, as the original run did')
    .action(async (o) => {
      let record: RunRecord<ForecastConfig> & { riskFingerprint?: string };
      try {
        record = JSON.parse(readFileSync(o.run, 'utf8'));
      } catch (e) {
        throw new InputError(msg('cli.cannotReadRunRecord', { file: o.run, reason: (e as Error).message }), [
          { file: o.run, expected: 'a .run.json file' },
        ]);
      }
      if (typeof record?.riskFingerprint !== 'string')
        throw new InputError(msg('cli.notRunRecord', { file: o.run }), [
          { file: o.run, field: 'riskFingerprint', expected: 'a SHA-256 hex string' },
        ]);
      const input = await loadForecastInputs(o.incidents, o.profile, o.boundary, o.taxonomy, !!o.skipInvalid);
      const r = reproduceForecast(record, input.jurisdiction, input.incidents);
      if (r.run.riskFingerprint !== record.riskFingerprint) {
        process.stderr.write(
          `NOT reproduced: risk fingerprint ${r.run.riskFingerprint} ≠ recorded ${record.riskFingerprint} (code ${codeVersion()} vs recorded ${record.codeVersion})\n`,
        );
        process.exitCode = 3;
        return;
      }
      process.stdout.write(
        `reproduced bit for bit: snapshot ${record.dataSnapshotHash.slice(0, 12)}…, risk ${record.riskFingerprint.slice(0, 12)}…\n`,
      );
    });

  program
    .command('backtest')
    .description(
      'rolling-origin backtest: PAI, PEI, hit-rate curve and Poisson log score per model and window, means with bootstrap 95% intervals and paired comparisons; prints JSON',
    )
    .requiredOption('--incidents <files...>', 'incident CSV file(s)')
    .requiredOption('--profile <name>', 'profile of the incident files')
    .requiredOption('--boundary <file>', "jurisdiction GeoJSON in the incidents' CRS")
    .requiredOption('--from <date>', 'first origin YYYY-MM-DD')
    .requiredOption('--to <date>', 'last origin YYYY-MM-DD (windows ending after the data are skipped)')
    .option('--step <days>', 'days between origins', '7')
    .option('--windows <list>', 'comma-separated windows', WINDOWS.join(','))
    .option('--cell <len>', 'cell side', '250ft')
    .option('--hotspot-area <area>', 'minimum hotspot area', '0.25sqmi')
    .option('--max-area <area>', 'maximum hotspot area', '0.75sqmi')
    .option('--models <list>', 'comma-separated models (default: the candidates `auto` chooses among)')
    .option('--shares <list>', 'shares of the area for the hit-rate curve', '0.005,0.01,0.02,0.05,0.1,0.2')
    .option('--seed <n>', 'seed', '1')
    .option('--include-officer-initiated', 'also learn from enforcement-driven records')
    .option('--taxonomy <file>', 'taxonomy', 'config/taxonomy.json')
    .option('--skip-invalid', 'skip rows that fail validation (their count is printed) instead of stopping')
    .option('--system <id>', 'store the run and generate the model card of this registered system')
    .option('--version <n>', 'system version for --system', '1')
    .action(async (o) => {
      const windows = String(o.windows)
        .split(',')
        .map((w, i) => parseWindow(w, `windows[${i}]`));
      const from = parseDate(o.from, 'from');
      const to = parseDate(o.to, 'to');
      if (to < from)
        throw new InputError(msg('forecast.backtest.toBeforeFrom'), [
          { field: 'to', expected: `a date on or after ${o.from}`, got: o.to },
        ]);
      const step = parseCount(o.step, 'step', 366);
      if (step < 1)
        throw new InputError(msg('cli.badOption', { option: '--step', value: String(o.step), expected: '1..366' }), [
          { field: 'step', expected: '1..366', got: o.step },
        ]);
      const seed = parseCount(o.seed, 'seed', 2 ** 31 - 1);
      const shares = String(o.shares).split(',').map(Number);
      await checkPurpose(resolveProfile(o.profile).source, `backtest ${o.from}…${o.to}`);
      const input = await loadForecastInputs(o.incidents, o.profile, o.boundary, o.taxonomy, !!o.skipInvalid);
      const unit = crsUnitMetres(input.crs);
      const cellSize = parseLength(o.cell, unit, 'cell');
      const grid = buildGrid(input.jurisdiction, { cellSize });
      const { incidents, policy } = applyDataPolicy(input.incidents, {
        includeOfficerInitiated: !!o.includeOfficerInitiated,
      });
      if (!incidents.length)
        throw new InputError(msg('cli.noIncidentsAfterPolicy'), [
          { field: 'incidents', expected: 'citizen-reported incidents (or --include-officer-initiated)' },
        ]);
      const data = prepare(grid, incidents);
      const hourly = incidents.every((e) => e.timePrecision !== 'day');
      const models: Candidate[] = o.models
        ? String(o.models)
            .split(',')
            .map((m) => {
              const p = parseModel(m, unit);
              if (p === 'auto')
                throw new InputError(msg('forecast.backtest.concreteModels'), [
                  { field: 'models', expected: 'models other than auto', got: m },
                ]);
              return { params: p };
            })
        : defaultCandidates(cellSize, { hourly });
      // Windows are scored only when they end by the day after the last incident (no data after that).
      const lastDay = Math.floor(Math.max(...incidents.map((e) => e.t)) / DAY_MS) * DAY_MS + DAY_MS;
      const origins = originsBetween(from, to, step);
      const area = {
        minArea: parseArea(o.hotspotArea, unit, 'hotspot-area'),
        maxArea: parseArea(o.maxArea, unit, 'max-area'),
      };
      const bt = backtest(data, {
        origins,
        windows,
        models,
        ...area,
        seed,
        dataEndMs: lastDay,
        logScore: true,
        hitRateShares: shares,
      });
      const baseline = bt.summary.find(
        (s) => s.params.model === 'counts' && !('days' in s.params && s.params.days),
      )?.model;
      const best = windows.flatMap((w) => {
        const mine = bt.summary.filter((s) => s.window === w);
        return mine.length ? [mine.reduce((a, b) => (b.pai.mean > a.pai.mean ? b : a))] : [];
      });
      const paired = baseline
        ? best.filter((b) => b.model !== baseline).map((b) => compareModels(bt.rows, b.model, baseline, b.window, seed))
        : [];
      const config = {
        incidents: o.incidents,
        profile: o.profile,
        from: o.from,
        to: o.to,
        step,
        windows,
        cell: o.cell,
        cellSize,
        crs: input.crs,
        ...area,
        models: models.map((m) => m.params),
        seed,
        dataPolicy: policy.label,
      };
      const snapshot = dataSnapshotHash(incidents);
      const result = {
        kind: 'counterweight.backtest',
        dataSnapshotHash: snapshot,
        codeVersion: codeVersion(),
        seed,
        config,
        dataPolicy: policy,
        origins: origins.length,
        summary: bt.summary,
        best: best.map((b) => ({ window: b.window, model: b.model, pai: b.pai })),
        paired,
      };
      if (o.system)
        await storeBacktest(o.system, Number(o.version), result, incidents, best.map((b) => b.model)[0], baseline);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}

/** Store a backtest run, log it, and generate the system version's model card from it. */
async function storeBacktest(
  systemId: string,
  version: number,
  result: {
    dataSnapshotHash: string;
    codeVersion: string;
    seed: number;
    config: Record<string, unknown>;
    summary: ReturnType<typeof backtest>['summary'];
    dataPolicy: { label: string };
  },
  incidents: ForecastIncident[],
  chosen: string | undefined,
  baseline: string | undefined,
) {
  const store = await openMigratedStore();
  try {
    const ledger = await openLedger(store);
    const entry = await ledger.append({
      type: 'model.backtest',
      actor: CLI_ACTOR,
      subjects: [`system:${systemId}`],
      payload: {
        dataSnapshotHash: result.dataSnapshotHash,
        config: result.config,
        codeVersion: result.codeVersion,
        seed: result.seed,
      },
    });
    await store.db
      .insertInto('backtest_runs')
      .values({
        system_id: systemId,
        version,
        created_at: new Date().toISOString(),
        data_snapshot_hash: result.dataSnapshotHash,
        config: JSON.stringify(result.config),
        code_version: result.codeVersion,
        seed: result.seed,
        summary: JSON.stringify(result.summary),
        log_index: entry.index,
      })
      .execute();
    const times = incidents.map((e) => e.t);
    const card = forecasterModelCard(
      { id: systemId, version },
      {
        summary: result.summary,
        dataSnapshotHash: result.dataSnapshotHash,
        config: result.config,
        codeVersion: result.codeVersion,
        seed: result.seed,
        incidents: incidents.length,
        dataPolicy: result.dataPolicy.label,
        chosen,
        baseline,
        period: {
          from: new Date(Math.min(...times)).toISOString().slice(0, 10),
          to: new Date(Math.max(...times)).toISOString().slice(0, 10),
        },
      },
      new Date().toISOString(),
    );
    await storeGeneratedModelCard(
      store,
      ledger,
      CLI_ACTOR,
      systemId,
      version,
      card as unknown as Record<string, unknown>,
    );
    await ledger.drain();
    process.stderr.write(
      `stored backtest (log entry ${entry.index}) and generated the model card of ${systemId} v${version}\n`,
    );
  } finally {
    await store.close();
  }
}
