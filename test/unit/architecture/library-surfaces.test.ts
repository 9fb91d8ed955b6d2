/**
 * Narrow public surfaces (issue 21, item 5). Each pure library's index.ts names what it exports (no
 * `export *`), the lists below pin it (widening a library is a reviewed diff here), and every name it
 * exports is used by the rest of Counterweight (src/ or web/src outside the library): nothing is kept
 * on the surface only for tests, which import the library's modules directly. import-graph.test.ts
 * checks that code outside a library never reaches past its index.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const VALUES: Record<string, string[]> = {
  ledger: [
    'LedgerError',
    'SIG_COSIGNATURE_V1',
    'auditLog',
    'buildTombstone',
    'bundlesForSize',
    'canonicalBytes',
    'consistencyProofAsync',
    'decodeTlogProof',
    'encodeEventInput',
    'generateKeyPair',
    'inclusionProofAsync',
    'integrate',
    'isPseudonymousRef',
    'isoOf',
    'keyIdHex',
    'makeReceipt',
    'newSigner',
    'newVerifier',
    'openCheckpoint',
    'parseLeaf',
    'parseNote',
    'parseTilePath',
    'partialTiles',
    'payloadHash',
    'signCheckpoint',
    'tileHashReaderAsync',
    'tilePath',
    'tilesForSize',
    'verifierKeyOf',
    'verifyConsistency',
    'verifyCosignatures',
    'verifyTlogProof',
    'witness',
    'writeLeafInput',
  ],
  geo: [
    'bbox',
    'buildGrid',
    'cellOf',
    'cellPolygon',
    'crsUnitMetres',
    'isKnownCrs',
    'jurisdictionFromGeoJson',
    'orientRfc7946',
    'pointInMultiPolygon',
    'pointInRing',
    'projector',
    'readGeoJsonPolygons',
    'ringArea',
    'spread',
    'stencil',
    'toWgs84',
    'utmZoneCode',
  ],
  forecast: [
    'DAY_MS',
    'FORECAST_WINDOWS',
    'applyDataPolicy',
    'backtest',
    'backtestSteps',
    'compareModels',
    'dataSnapshotHash',
    'defaultCandidates',
    'fitModel',
    'forecastGeoJsonChunks',
    'forecastShapefile',
    'modelChoices',
    'modelMessage',
    'originsBetween',
    'parseArea',
    'parseCount',
    'parseDate',
    'parseLength',
    'parseModel',
    'parseWindow',
    'planShift',
    'prepare',
    'reproduceForecast',
    'runForecast',
    'runForecastSteps',
    'windowEnd',
  ],
  fairness: [
    'METRICS',
    'areaDemographics',
    'bandOf',
    'detectProxies',
    'disparityCheck',
    'driftCheck',
    'exposureBasis',
    'fairnessTradeoff',
    'layerCity',
    'loadDemographicsDeclaration',
    'overrideCheck',
    'personAudit',
    'placeAuditFromPlans',
    'placeAuditReport',
    'planFairMissions',
    'proxyModelCardRows',
    'responseTimeCheck',
    'stressTestForecaster',
  ],
};

const TYPES: Record<string, string[]> = {
  ledger: [
    'AuditReport',
    'ErasureReason',
    'EventLeaf',
    'Frontier',
    'Leaf',
    'NoteSigner',
    'NoteVerifier',
    'PayloadArea',
    'TileData',
    'TileRef',
    'TombstoneLeaf',
    'WitnessState',
  ],
  geo: ['Grid', 'GridSpec', 'MultiPolygon', 'Ring'],
  forecast: [
    'BacktestSummary',
    'Candidate',
    'Explanation',
    'ForecastConfig',
    'ForecastIncident',
    'ForecastRun',
    'ModelParams',
    'PatrolBudget',
    'RunRecord',
  ],
  fairness: [
    'AreaDemographics',
    'AuditRow',
    'DemographicsDeclaration',
    'ExposureBasis',
    'ExposureGroup',
    'GroupExposure',
    'IncidentHistory',
    'Metric',
    'MissionPlan',
    'PlaceAuditResult',
    'PlanInput',
    'ProxyRow',
    'ReferenceRule',
    'RiskModel',
    'SyntheticCity',
  ],
};

const LIBS = Object.keys(VALUES);
const SRC = resolve('src');
const indexText = (lib: string) => readFileSync(join(SRC, lib, 'index.ts'), 'utf8');

/** Names an index re-exports as types only (`export { type X }` or `export type { X }`). */
function typeExports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const raw of m[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const isType = !!m[1] || raw.startsWith('type ');
      const name = raw
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!;
      if (isType) out.push(name);
    }
  }
  return out.sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

/** Names imported from each library's index by files outside it (src/ and web/src). */
function namesUsedOutside(): Map<string, Set<string>> {
  const used = new Map(LIBS.map((l) => [l, new Set<string>()]));
  const web = resolve('web/src');
  for (const f of [...sourceFiles(SRC), ...(existsSync(web) ? sourceFiles(web) : [])]) {
    const own = relative(SRC, f).split(sep)[0];
    for (const m of readFileSync(f, 'utf8').matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      if (!m[2].startsWith('.')) continue;
      const target = relative(SRC, resolve(dirname(f), m[2])).split(sep);
      if (target.length !== 1 || !used.has(target[0]) || target[0] === own) continue;
      for (const raw of m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean))
        used.get(target[0])!.add(raw.replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
    }
  }
  return used;
}

describe('library surfaces', () => {
  it.each(LIBS)('%s/index.ts names every export: no export *', (lib) => {
    expect(indexText(lib)).not.toMatch(/export\s*\*/);
  });

  it.each(LIBS)('%s/index.ts exports exactly the pinned values', async (lib) => {
    const mod = await import(`../../../src/${lib}/index.ts`);
    expect(Object.keys(mod).sort()).toEqual([...VALUES[lib]].sort());
  });

  it.each(LIBS)('%s/index.ts exports exactly the pinned types', (lib) => {
    expect(typeExports(indexText(lib))).toEqual([...TYPES[lib]].sort());
  });

  it('every exported name is used by the rest of Counterweight: nothing on a surface only for tests', () => {
    const used = namesUsedOutside();
    const unused = LIBS.flatMap((lib) =>
      [...VALUES[lib], ...TYPES[lib]].filter((n) => !used.get(lib)!.has(n)).map((n) => `${lib}: ${n}`),
    );
    expect(unused).toEqual([]);
  });

  it('the type-export reader finds both spellings (the check itself)', () => {
    expect(typeExports("export { a, type B } from './x';\nexport type { C, D as E } from './y';")).toEqual([
      'B',
      'C',
      'E',
    ]);
  });
});
