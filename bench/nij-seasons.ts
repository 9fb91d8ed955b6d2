/**
 * Seasonal validation of the product's own `auto` on the NIJ Portland training files. Prints JSON.
 *
 *   npx tsx bench/nij-seasons.ts [years=2014,2015,2016] [cell=250|exact|auto] [autoOrigins=26] [crimes=bur,veh]
 *
 * For each crime, each year's March–May season (as-of YYYY-03-01, the NIJ windows 1wk, 2wk, 1mo, 2mo,
 * 3mo) and the given cell: `auto` chooses a model from incidents before the as-of date only (recent
 * weekly origins and the same window of earlier years, robustChoice), the chosen model forecasts, and
 * the forecast is scored on the incidents of the window, which the training files hold for those
 * years. PAI at the minimum area (0.25 sq mi, ≤ 0.75) is compared with the published winners' values
 * (NIJ re-scoring, cited in /work/shared/data/README.md "portland-nij" and bench/forecast.ts), and
 * summarised per crime and window over the years with a bootstrap 95% interval.
 * Cost: O(crimes × years × windows × candidates × origins × fit) — minutes on 2 shared cores.
 */
import { autoSelect, defaultCandidates, windowDays, windowEnd, type Candidate } from '../src/forecast/backtest';
import { observedCounts, prepare } from '../src/forecast/data';
import { bootstrapMean, scoreHotspots, selectHotspots, type AreaConstraint } from '../src/forecast/evaluation';
import { fitModel } from '../src/forecast/models';
import { chooseGeometry, exactGeometries } from '../src/forecast/geometry';
import { buildGrid, type GridSpec } from '../src/geo/grid';
import { loadPortland, portlandJurisdiction } from '../test/unit/forecast/portland-data';

export const WINNERS_PAI = {
  bur: { '7d': 29.2, '14d': 28.0, '1mo': 31.2, '2mo': 16.7, '3mo': 18.9 },
  veh: { '7d': 32.6, '14d': 64.1, '1mo': 47.0, '2mo': 42.0, '3mo': 41.0 },
} as const;
const WINDOWS = ['7d', '14d', '1mo', '2mo', '3mo'] as const;
const SQMI = 5280 * 5280;

const years = (process.argv[2] ?? '2014,2015,2016').split(',').map(Number);
const cellArg = process.argv[3] ?? '250';
const autoOriginCount = Number(process.argv[4] ?? 26);
const crimes = (process.argv[5] ?? 'bur,veh').split(',') as ('bur' | 'veh')[];
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const t0 = cpu();
const jurisdiction = portlandJurisdiction();
// cell: a side in feet (the usual rule: whole cells until the area reaches 0.25 sq mi), `exact` (111
// squares of 250.6 ft that make 0.25 sq mi exactly, the reference of `--cell auto`), or `auto` (what
// `counterweight forecast --cell auto --model auto` does: chooseGeometry on data before the as-of date, per window)
const exact = cellArg === 'exact' || cellArg === 'auto';
const fixedSpec: GridSpec =
  cellArg === 'exact' || cellArg === 'auto'
    ? exactGeometries(0.25 * SQMI, 0.3048, { counts: [111], aspects: [1] })[0]
    : { cellSize: Number(cellArg) };
const fixedGrid = buildGrid(jurisdiction, fixedSpec);
const baseArea = { minArea: 0.25 * SQMI, maxArea: 0.75 * SQMI };
// NIJ_REFERENCE=<model name>: move that family's first candidate to the front (an experiment on the reference)
const refName = process.env.NIJ_REFERENCE;
const withReference = (c: Candidate[]) => {
  const i = refName ? c.findIndex((x) => x.params.model === refName) : 0;
  return i <= 0 ? c : [c[i], ...c.filter((_, j) => j !== i)];
};
const rows: Record<string, unknown>[] = [];
for (const crime of crimes) {
  const incidents = loadPortland(crime);
  const fixedData = prepare(fixedGrid, incidents);
  for (const year of years)
    for (const w of WINDOWS) {
      const asOf = Date.UTC(year, 2, 1);
      let grid = fixedGrid,
        data = fixedData,
        area: AreaConstraint = { ...baseArea, exact },
        geometry: string | null = null;
      if (cellArg === 'auto') {
        const g = chooseGeometry({
          jurisdiction,
          training: incidents.filter((e) => e.t < asOf),
          asOfMs: asOf,
          window: w,
          unitMetres: 0.3048,
          grid: { cellSize: 250 },
          area: baseArea,
          auto: { cell: true },
          model: 'auto',
          seed: 1,
        });
        grid = g.grid;
        area = g.area;
        data = prepare(grid, incidents);
        geometry = `${g.record.cell!.chosen}: ${g.record.cell!.reason}`;
      }
      const a = autoSelect(data, asOf, {
        window: w,
        candidates: withReference(defaultCandidates(grid.cellSize)),
        seed: 1,
        origins: autoOriginCount,
        ...area,
      });
      const fitted = fitModel(data, asOf, a.chosen.params);
      const risk = fitted.risk(windowDays(asOf, w));
      const hot = selectHotspots(grid, risk, area, 1);
      const s = scoreHotspots(grid, hot, observedCounts(data, asOf, windowEnd(asOf, w)));
      rows.push({
        crime,
        year,
        window: w,
        geometry,
        chosen: a.model,
        reason: a.reason,
        pai: +s.pai.toFixed(2),
        n: s.n,
        N: s.N,
        areaSqMi: +(s.a / SQMI).toFixed(4),
        pei: +s.pei.toFixed(3),
        winners: WINNERS_PAI[crime][w],
        atOrAbove: s.pai >= WINNERS_PAI[crime][w],
        autoTable: a.table.map((r) => ({
          model: r.model,
          mean: +r.mean.toFixed(2),
          ci95: r.ci95.map((v) => +v.toFixed(2)),
          shrunk: +r.shrunk.toFixed(2),
          vsReference: { mean: +r.vsReference.mean.toFixed(2), ci95: r.vsReference.ci95.map((v) => +v.toFixed(2)) },
        })),
      });
      process.stderr.write(
        `${crime} ${year} ${w}: PAI ${s.pai.toFixed(1)} (${s.n}/${s.N}) vs winners ${WINNERS_PAI[crime][w]} — ${a.reason.slice(0, 90)} [${(cpu() - t0).toFixed(0)} s CPU]\n`,
      );
    }
}
const summary = crimes.flatMap((crime) =>
  WINDOWS.map((w) => {
    const mine = rows.filter((r) => r.crime === crime && r.window === w);
    const iv = bootstrapMean(
      mine.map((r) => r.pai as number),
      1,
    );
    return {
      crime,
      window: w,
      years: mine.map((r) => r.year),
      pai: mine.map((r) => r.pai),
      mean: +iv.mean.toFixed(2),
      ci95: [+iv.lo.toFixed(2), +iv.hi.toFixed(2)],
      winners: WINNERS_PAI[crime][w],
      yearsAtOrAbove: mine.filter((r) => r.atOrAbove).length,
    };
  }),
);
console.log(
  JSON.stringify(
    {
      bench: 'nij-seasons',
      cell: cellArg,
      cells: fixedGrid.n,
      area: exact ? '0.25 sq mi exactly (whole cells)' : '0.25–0.75 sq mi (minimum)',
      autoOrigins: autoOriginCount,
      years,
      winnersSource:
        'published winning PAI at the minimum area (independent re-scoring of the NIJ winners), /work/shared/data/README.md portland-nij',
      summary,
      cpuSeconds: +(cpu() - t0).toFixed(1),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      rows,
    },
    null,
    1,
  ),
);
