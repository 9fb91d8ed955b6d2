/**
 * Forecast benchmark. Prints one JSON object.
 *
 *   npx tsx bench/forecast.ts                 fit + forecast time and peak memory per model on the Portland
 *                                             250-ft grid (NIJ burglary + vehicle theft, 5 years) and on
 *                                             1M synthetic incidents (SEPP on 100k: its pairs grow with density)
 *   npx tsx bench/forecast.ts cli [window=1mo]  `counterweight forecast --model auto` (and one fixed KDE) on the Portland
 *                                             250-ft grid as a child process: CPU seconds and peak RSS, start-up included,
 *                                             run as the installed command runs (bin/counterweight.js: the compiled dist/,
 *                                             built first if stale; that build is not timed)
 *   npx tsx bench/forecast.ts backtest [cells=250,400,600] [stepDays=7]
 *                                             NIJ-style rolling-origin backtest on the Portland files:
 *                                             weekly origins 2016-03-01 … 2017-02-28, windows 7d/14d/1mo/2mo/3mo
 *                                             (a window must end by 2017-03-01), hotspot area 0.25 sq mi minimum
 *                                             (≤ 0.75), mean PAI/PEI with bootstrap 95% intervals per model
 */
import { backtest, defaultCandidates, originsBetween, type Candidate } from '../src/forecast/backtest';
import { DAY_MS, prepare, type ForecastIncident } from '../src/forecast/data';
import { fitModel, type ModelParams } from '../src/forecast/models';
import { selectHotspots } from '../src/forecast/evaluation';
import { buildGrid } from '../src/geo/grid';
import { loadPortland, portlandJurisdiction } from '../test/unit/forecast/portland-data';

const SQMI = 5280 * 5280;
const area = { minArea: 0.25 * SQMI, maxArea: 0.75 * SQMI };
const mode = process.argv[2] ?? 'timing';
const jurisdiction = portlandJurisdiction();

/** Time a synchronous step; heap delta across it, and the process's peak RSS so far (getrusage maxrss). */
function peak<T>(f: () => T): { value: T; ms: number; heapDeltaMiB: number; maxRssMiB: number } {
  const base = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  return {
    value,
    ms: +ms.toFixed(1),
    heapDeltaMiB: +((process.memoryUsage().heapUsed - base) / 2 ** 20).toFixed(1),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (mode === 'cli') {
  // `counterweight forecast --model auto` for one window on the Portland 250-ft grid, start-up included:
  // wall, user and system CPU seconds and peak RSS of the child, measured by /usr/bin/time.
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-'));
  const env = { ...process.env, CW_SQLITE_FILE: join(dir, 'cw.db'), CW_KEYS_DIR: join(dir, 'keys') };
  // the command as installed: bin/counterweight.js runs dist/ (and builds it first when stale, here, untimed)
  spawnSync(process.execPath, ['bin/counterweight.js', 'source', 'add-bundled'], { env });
  const window = process.argv[3] ?? '1mo';
  const runs = ['auto', 'kde:gaussian:250ft:1000'].map((model) => {
    const r = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'TIME %e %U %S %M',
        process.execPath,
        'bin/counterweight.js',
        'forecast',
        '--incidents',
        'test/fixtures/portland-nij/crimes_bur_to_2017-02-28.csv',
        '--profile',
        'portland-nij',
        '--boundary',
        'test/fixtures/portland-nij/portland_police_districts.epsg2913.geojson',
        '--as-of',
        '2017-03-01',
        '--window',
        window,
        '--cell',
        '250ft',
        '--model',
        model,
        '--out',
        join(dir, 'f.geojson'),
      ],
      { env, encoding: 'utf8' },
    );
    const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
    return {
      model,
      window,
      exit: r.status,
      wallS: m ? Number(m[1]) : null,
      cpuS: m ? +(Number(m[2]) + Number(m[3])).toFixed(2) : null,
      peakRssMiB: m ? Math.round(Number(m[4]) / 1024) : null,
      targets: { cpuS: 10, peakRssMiB: 300 },
    };
  });
  console.log(
    JSON.stringify(
      {
        bench: 'forecast-cli',
        note: 'CPU = user + system of the child (wall time on shared cores mostly measures the neighbours)',
        loadAverage: (await import('node:os')).loadavg().map((v) => +v.toFixed(1)),
        runs,
      },
      null,
      1,
    ),
  );
} else if (mode === 'backtest') {
  const sizes = (process.argv[3] ?? '250,400,600').split(',').map(Number);
  const step = Number(process.argv[4] ?? 7);
  const origins = originsBetween(Date.parse('2016-03-01T00:00:00Z'), Date.parse('2017-02-28T00:00:00Z'), step);
  const dataEndMs = Date.parse('2017-03-01T00:00:00Z');
  const out: Record<string, unknown>[] = [];
  const t0 = performance.now();
  for (const kind of ['bur', 'veh'] as const) {
    const incidents = loadPortland(kind);
    for (const cellSize of sizes) {
      const grid = buildGrid(jurisdiction, { cellSize });
      const data = prepare(grid, incidents);
      const models: Candidate[] = defaultCandidates(cellSize);
      const bt = backtest(data, {
        origins,
        windows: ['7d', '14d', '1mo', '2mo', '3mo'],
        models,
        ...area,
        seed: 1,
        dataEndMs,
      });
      for (const s of bt.summary)
        out.push({
          crime: kind,
          cellFt: cellSize,
          model: s.model,
          window: s.window,
          origins: s.pai.n,
          pai: +s.pai.mean.toFixed(2),
          paiCi95: [+s.pai.lo.toFixed(2), +s.pai.hi.toFixed(2)],
          pei: +s.pei.mean.toFixed(3),
        });
    }
  }
  const best: Record<string, unknown>[] = [];
  for (const kind of ['bur', 'veh'])
    for (const w of ['7d', '14d', '1mo', '2mo', '3mo']) {
      const rows = out.filter((r) => r.crime === kind && r.window === w);
      const b = rows.reduce((a, r) => ((r.pai as number) > (a.pai as number) ? r : a));
      best.push({
        crime: kind,
        window: w,
        model: b.model,
        cellFt: b.cellFt,
        pai: b.pai,
        paiCi95: b.paiCi95,
        pei: b.pei,
      });
    }
  console.log(
    JSON.stringify(
      {
        bench: 'forecast-backtest',
        origins: { from: '2016-03-01', to: '2017-02-28', stepDays: step, count: origins.length },
        hotspotArea: '0.25–0.75 sq mi (selection stops at the minimum)',
        note: 'windows ending after 2017-03-01 are skipped (no data), so 3mo uses origins to 2016-11-28',
        publishedWinnersPaiAtMinimumArea: {
          bur: { '7d': 29.2, '14d': 28.0, '1mo': 31.2, '2mo': 16.7, '3mo': 18.9 },
          veh: { '7d': 32.6, '14d': 64.1, '1mo': 47.0, '2mo': 42.0, '3mo': 41.0 },
        },
        bestPerWindow: best,
        seconds: +((performance.now() - t0) / 1000).toFixed(1),
        all: out,
      },
      null,
      1,
    ),
  );
} else {
  const synthetic = Number(process.argv[3] ?? 1_000_000);
  const gridRun = peak(() => buildGrid(jurisdiction, { cellSize: 250 }));
  const grid = gridRun.value;
  const asOf = Date.parse('2017-03-01T00:00:00Z');
  const real = [...loadPortland('bur'), ...loadPortland('veh')];
  const models: ModelParams[] = [
    { model: 'counts' },
    { model: 'counts', days: 365 },
    { model: 'retrospective', bandwidth: 500, weeks: 52 },
    { model: 'prospective', bandwidth: 500, weeks: 8 },
    { model: 'kde', bandwidth: 250, halfLifeDays: 365 },
    { model: 'kde', kernel: 'quartic', bandwidth: 750, halfLifeDays: 365 },
    { model: 'etas', iterations: 40 },
    { model: 'ensemble' },
    { model: 'learned' },
  ];
  const measure = (incidents: ForecastIncident[], list: ModelParams[]) => {
    const prep = peak(() => prepare(grid, incidents));
    return {
      incidents: incidents.length,
      prepareMs: prep.ms,
      models: list.map((m) => {
        const r = peak(() => {
          const f = fitModel(prep.value, asOf, m);
          const risk = f.risk(7);
          selectHotspots(grid, risk, area, 1);
          return f.diagnostics;
        });
        return { model: m, fitForecastMs: r.ms, heapDeltaMiB: r.heapDeltaMiB, maxRssMiB: r.maxRssMiB };
      }),
    };
  };
  // synthetic: 1M incidents over five years around 500 random centres (Gaussian scatter 400 ft), hourly times
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const centres = Array.from({ length: 500 }, () => {
    const k = Math.floor(rnd() * grid.n);
    return [grid.cx[k], grid.cy[k]];
  });
  const synth = (n: number): ForecastIncident[] =>
    Array.from({ length: n }, (_, i) => {
      const [cx, cy] = centres[Math.floor(rnd() * centres.length)];
      return {
        id: `s${i}`,
        type: 'synthetic',
        origin: 'citizen',
        t: asOf - Math.ceil(rnd() * 5 * 365 * 24) * 3_600_000,
        timePrecision: 'hour',
        x: cx + 400 * normal(),
        y: cy + 400 * normal(),
      };
    });
  const hourlyReal = real.map((e, i) => ({ ...e, t: e.t + (i % 24) * 3_600_000, timePrecision: 'hour' as const }));
  const seppParams: ModelParams = {
    model: 'sepp',
    iterations: 20,
    maxDistance: 2000,
    maxLagDays: 60,
    backgroundBandwidth: 500,
  };
  const portland = measure(real, models);
  const portlandSepp = measure(hourlyReal, [seppParams]);
  const large = measure(synth(synthetic), models);
  const largeSepp = measure(synth(100_000), [{ ...seppParams, trainingDays: 365 }]);
  console.log(
    JSON.stringify(
      {
        bench: 'forecast',
        node: process.version,
        grid: {
          cellFt: 250,
          cells: grid.n,
          boundaryCells: grid.boundary.reduce((a, b) => a + b, 0),
          areaSqFt: grid.totalArea,
          buildMs: gridRun.ms,
        },
        portland: { ...portland, note: 'NIJ burglary + vehicle theft calls, 2012-03 … 2017-02' },
        portlandSepp: {
          ...portlandSepp,
          note: 'same calls with synthetic hours (the files have dates only), to time SEPP',
        },
        synthetic: large,
        syntheticSepp: { ...largeSepp, note: 'SEPP on 100k synthetic incidents, last 365 days' },
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      1,
    ),
  );
}
