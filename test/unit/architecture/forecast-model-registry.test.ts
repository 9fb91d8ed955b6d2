/**
 * One module per forecast model, registered in one place (issue 21, item 4). A trivial extra family
 * is added to the registry here (and nowhere else): the CLI/HTTP parser, validation, descriptions,
 * fitting, backtests, `auto`'s default candidates and a full forecast run all pick it up.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import type { ModelFamily } from '../../../src/forecast/model-family';

// A uniform model: every cell gets `level` per sq unit of its area per day. Nothing outside this file knows it.
interface UniformParams {
  model: 'uniform';
  level: number;
}
const uniform: ModelFamily<UniformParams> = {
  names: ['uniform'],
  syntax: ['uniform[:LEVEL]'],
  parse: (_name, args, p) => ({ model: 'uniform', level: p.num(args[0], 'level', 1) }),
  describe: (p) => `uniform (${p.level} per unit area per day)`,
  validate: (p, check) => check.positive(p.level, 'level'),
  autoCandidates: () => [{ params: { model: 'uniform', level: 1 } }],
  fit: (d, asOf, p) => ({
    asOf,
    diagnostics: { cells: d.grid.n },
    risk: (W) => Float64Array.from(d.grid.areas, (a) => a * p.level * W),
    explain: (k, W) => ({ background: d.grid.areas[k] * p.level * W, contributions: [] }),
  }),
};

vi.mock('../../../src/forecast/models/registry', async (original) => {
  const real = await original<typeof import('../../../src/forecast/models/registry')>();
  return { ...real, MODEL_FAMILIES: [...real.MODEL_FAMILIES, uniform] };
});

// Modules load afresh here, so the mock applies even where a worker runs test files one after another
// without isolation (vitest isolate: false) and an earlier file loaded the real registry; and they are
// dropped again at the end, so no later file sees the extra family.
vi.resetModules();
afterAll(() => {
  vi.doUnmock('../../../src/forecast/models/registry');
  vi.resetModules();
});
const { MODEL_FAMILIES } = await import('../../../src/forecast/models/registry');
const forecast = {
  ...(await import('../../../src/forecast')),
  ...(await import('../../../src/forecast/models')),
  ...(await import('../../../src/forecast/backtest')),
};
const { buildGrid } = await import('../../../src/geo');

const KNOWN = ['counts', 'retrospective', 'prospective', 'kde', 'etas', 'sepp', 'learned', 'ensemble'];
const square = [
  [
    [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 0],
    ],
  ],
] as [number, number][][][];
const DAY = 86_400_000;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

describe('the forecast model registry', () => {
  it('lists one family per file in src/forecast/models/, each name once, and every known model', () => {
    const dir = resolve('src/forecast/models');
    const familyFiles = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'registry.ts');
    const real = (MODEL_FAMILIES as readonly ModelFamily<{ model: string }>[]).filter(
      (f) => f !== (uniform as unknown),
    );
    expect(real).toHaveLength(familyFiles.length);
    const registry = readFileSync(join(dir, 'registry.ts'), 'utf8');
    for (const f of familyFiles) expect(registry).toContain(`from './${f.replace(/\.ts$/, '')}'`);
    const names = real.flatMap((f) => f.names);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...KNOWN].sort());
  });

  it("auto's default candidates are today's list, in today's order (learned first: the reference)", () => {
    const today = (cellSize: number) => [
      { model: 'learned' },
      { model: 'ensemble' },
      { model: 'counts' },
      { model: 'counts', days: 365 },
      { model: 'counts', days: 730 },
      { model: 'prospective', bandwidth: 2 * cellSize, weeks: 8 },
      { model: 'retrospective', bandwidth: 2 * cellSize, weeks: 52 },
      { model: 'kde', kernel: 'gaussian', bandwidth: cellSize, halfLifeDays: 365 },
      { model: 'kde', kernel: 'gaussian', bandwidth: cellSize, halfLifeDays: 1000 },
      { model: 'kde', kernel: 'gaussian', bandwidth: 0.5 * cellSize, halfLifeDays: 730 },
      { model: 'kde', kernel: 'quartic', bandwidth: 3 * cellSize, halfLifeDays: 730 },
    ];
    const uniformCandidate = { model: 'uniform', level: 1 };
    expect(forecast.defaultCandidates(250).map((c) => c.params)).toEqual([...today(250), uniformCandidate]);
    expect(forecast.defaultCandidates(100, { hourly: true }).map((c) => c.params)).toEqual([
      ...today(100),
      { model: 'etas', iterations: 40 },
      { model: 'sepp', iterations: 20 },
      uniformCandidate,
    ]);
  });

  it('no switch on a model name is left anywhere in src/', () => {
    const offenders: string[] = [];
    for (const f of sourceFiles(resolve('src'))) {
      const text = readFileSync(f, 'utf8');
      for (const name of KNOWN)
        if (text.includes(`case '${name}'`) || text.includes(`case "${name}"`))
          offenders.push(`${relative('src', f)}: case '${name}'`);
    }
    expect(offenders).toEqual([]);
  });

  it('a family added to the registry alone is parsed, validated, described and fitted', () => {
    const p = forecast.parseModel('uniform:2', 1);
    expect(p).toEqual({ model: 'uniform', level: 2 });
    expect(forecast.parseModel('uniform', 1)).toEqual({ model: 'uniform', level: 1 });
    expect(() => forecast.parseModel('nonsense', 1)).toThrow(/unknown model/);
    try {
      forecast.parseModel('nonsense', 1);
    } catch (e) {
      expect((e as InputError).where[0].expected).toContain('uniform[:LEVEL]');
    }
    // the CLI's --model help and the unknown-model error: today's text, then the new family
    expect(forecast.modelChoices()).toBe(
      'auto | learned | ensemble | counts[:DAYS] | prospective:RADIUS:WEEKS | retrospective:RADIUS:WEEKS | kde:gaussian|quartic:BANDWIDTH:HALFLIFE | etas[:ITER] | sepp[:ITER] | uniform[:LEVEL]',
    );
    expect(forecast.describeModel(p as never)).toBe('uniform (2 per unit area per day)');
    expect(() => forecast.validateParams({ model: 'uniform', level: -1 } as never)).toThrow(
      /model uniform: level must be a positive number/,
    );
    const grid = buildGrid(square, { cellSize: 1 });
    const d = forecast.prepare(grid, []);
    expect(Array.from(forecast.fitModel(d, 10 * DAY, p as never).risk(7))).toEqual(new Array(16).fill(14));
  });

  it('backtests, auto selection and a forecast run dispatch through the registry', () => {
    const grid = buildGrid(square, { cellSize: 1 });
    const incidents = Array.from({ length: 60 }, (_, i) => ({
      id: `e${i}`,
      type: 'burglary',
      origin: 'citizen' as const,
      t: (i * 7 + 1) * DAY,
      timePrecision: 'day' as const,
      x: 0.5 + (i % 2),
      y: 0.5,
    }));
    const d = forecast.prepare(grid, incidents);
    expect(forecast.defaultCandidates(1).map((c) => c.params.model)).toContain('uniform');
    const bt = forecast.backtest(d, {
      origins: [300 * DAY, 307 * DAY],
      windows: ['7d'],
      models: [{ params: { model: 'uniform', level: 1 } as never }, { params: { model: 'counts' } }],
      seed: 1,
      dataEndMs: 420 * DAY,
      minArea: 2,
      maxArea: 2,
    });
    expect(bt.summary.map((s) => s.model)).toEqual(['uniform (1 per unit area per day)', 'all-history counts']);
    const auto = forecast.autoSelect(d, 400 * DAY, {
      window: '7d',
      candidates: [{ params: { model: 'uniform', level: 1 } as never }],
      seed: 1,
      origins: 3,
      minArea: 2,
      maxArea: 2,
    });
    expect(auto.model).toBe('uniform (1 per unit area per day)');
    const run = forecast.runForecast({
      jurisdiction: square,
      incidents,
      codeVersion: 'test',
      config: {
        asOf: new Date(400 * DAY).toISOString(),
        window: '7d',
        grid: { cellSize: 1 },
        crs: 'EPSG:2913',
        hotspotArea: { minArea: 2, maxArea: 2 },
        model: { model: 'uniform', level: 3 } as never,
        seed: 1,
        policy: { includeOfficerInitiated: false },
      },
    });
    expect(run.run.model).toBe('uniform (3 per unit area per day)');
    expect(run.run.diagnostics).toEqual({ cells: 16 });
    expect(Array.from(run.risk)).toEqual(new Array(16).fill(21));
  });
});
