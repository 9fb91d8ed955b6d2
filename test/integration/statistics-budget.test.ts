import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger-service/ledger';
import { loadOrCreateLogKeys } from '../../src/ledger-service/log-keys';
import { budgetPeriodsOf, MICRO, type PrivacyPolicy } from '../../src/privacy/budget';
import { publishRelease } from '../../src/privacy/statistics';
import type { Store } from '../../src/store/db';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS, freshStore } from '../support/stores';

const OUTCOMES = 'outcomes-by-kind-month-group';

/** Outcome counts for 2025: one stop of group A in March (a cell of one) and 37 of group B. */
async function seedOutcomes(store: Store, year: number) {
  const row = (month: string, group: string, count: number) => ({
    system_id: 'sys-x',
    period_start: `${year}-${month}-01`,
    kind: 'stop',
    area: null,
    group_name: group,
    count,
    denominator: 100,
    reported_by: 'test',
    log_index: 0,
  });
  await store.db
    .insertInto('outcomes')
    .values([row('03', 'A', 1), row('03', 'B', 37)])
    .execute();
}

describe.each(DIALECTS)('privacy budget of public statistics on %s', (dialect) => {
  let s: DemoServer;
  const cookie: Record<string, { cookie: string; 'x-csrf-token': string }> = {};
  const post = (who: string, body: unknown) =>
    s.app.inject({
      method: 'POST',
      url: '/api/statistics/releases',
      headers: { ...cookie[who], 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const budget = async () => (await s.app.inject({ url: '/api/statistics/budget' })).json();
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    for (const u of ['oversight', 'analyst']) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u, password: PASSWORD },
      });
      cookie[u] = {
        cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
        'x-csrf-token': r.json().csrfToken,
      };
    }
    await seedOutcomes(s.store, 2025);
  });
  afterAll(async () => s?.close());

  it('attack: 30 releases at ε = 0.2 to average the noise away — refused once the yearly budget (ε = 2) is spent', async () => {
    expect(
      (await post('analyst', { epsilonPerTable: 0.2, tables: [OUTCOMES], period: { from: '2025-01', to: '2025-12' } }))
        .statusCode,
    ).toBe(403);
    const codes: number[] = [];
    let refusal = '';
    for (let i = 0; i < 30; i++) {
      const r = await post('oversight', {
        epsilonPerTable: 0.2,
        tables: [OUTCOMES],
        period: { from: '2025-01', to: '2025-12' },
      });
      codes.push(r.statusCode);
      if (r.statusCode !== 201) refusal ||= r.json().detail;
    }
    expect(codes.filter((c) => c === 201)).toHaveLength(10); // 10 × 0.2 = 2
    expect(codes.slice(10).every((c) => c === 409)).toBe(true);
    expect(refusal).toMatch(
      /outcomes-by-kind-month-group for 2025 would be exceeded: 2 of 2 already spent, this release needs 0.2/,
    );
    // Only the accepted releases are published.
    expect((await s.app.inject({ url: '/api/statistics/releases' })).json()).toHaveLength(10);
    // The spent budget is public (no sign-in) and says what remains.
    expect((await budget()).spent).toContainEqual({
      table: OUTCOMES,
      period: '2025',
      epsilonSpent: 2,
      epsilonRemaining: 0,
    });
    // Overlapping data is charged wherever it overlaps: Dec 2025–Jan 2026 touches the spent 2025 budget.
    const overlap = await post('oversight', {
      epsilonPerTable: 0.2,
      tables: [OUTCOMES],
      period: { from: '2025-12', to: '2026-01' },
    });
    expect(overlap.statusCode).toBe(409);
    expect((await budget()).spent.find((b: { period: string }) => b.period === '2026')?.epsilonSpent ?? 0).toBe(0); // the refusal charged nothing
    // Disjoint data composes in parallel: 2026 has its own budget, and other tables theirs.
    expect(
      (await post('oversight', { epsilonPerTable: 1, tables: [OUTCOMES], period: { from: '2026-01', to: '2026-06' } }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await post('oversight', {
          epsilonPerTable: 1,
          tables: ['alerts-by-unit-month-outcome'],
          period: { from: '2025-01', to: '2025-12' },
        })
      ).statusCode,
    ).toBe(201);
    // Hungry default: a release without tables/period releases everything and is charged for all of it.
    const all = await post('oversight', { epsilonPerTable: 0.5 });
    expect(all.statusCode).toBe(409);
  });

  it('attack: ε = 10 and degenerate ε (5e-324, 0, negative, 1e999 = Infinity, a string) are refused with a field error', async () => {
    for (const [raw, field] of [
      ['{"epsilonPerTable":10,"period":{"from":"2024-01","to":"2024-12"}}', 'epsilonPerTable'],
      ['{"epsilonPerTable":5e-324,"period":{"from":"2024-01","to":"2024-12"}}', 'epsilonPerTable'],
      ['{"epsilonPerTable":0,"period":{"from":"2024-01","to":"2024-12"}}', 'epsilonPerTable'],
      ['{"epsilonPerTable":-1,"period":{"from":"2024-01","to":"2024-12"}}', 'epsilonPerTable'],
      ['{"epsilonPerTable":1e999,"period":{"from":"2024-01","to":"2024-12"}}', 'epsilonPerTable'],
      ['{"epsilonPerTable":"NaN","period":{"from":"2024-01","to":"2024-12"}}', 'epsilonPerTable'],
      ['{"epsilonPerTable":0.5,"suppressBelow":0,"period":{"from":"2024-01","to":"2024-12"}}', 'suppressBelow'],
      ['{"epsilonPerTable":0.5,"suppressBelow":1,"period":{"from":"2024-01","to":"2024-12"}}', 'suppressBelow'],
      ['{"epsilonPerTable":0.5,"period":{"from":"2024-12","to":"2024-01"}}', 'period.to'],
      ['{"epsilonPerTable":0.5,"tables":["people-by-name"],"period":{"from":"2024-01","to":"2024-12"}}', 'tables.0'],
    ] as const) {
      const r = await post('oversight', raw);
      expect(r.statusCode, raw).toBe(400);
      expect(JSON.stringify(r.json()), raw).toContain(field);
    }
    const ko = await s.app.inject({
      method: 'POST',
      url: '/api/statistics/releases',
      headers: { ...cookie.oversight, 'content-type': 'application/json', 'accept-language': 'ko' },
      payload: '{"epsilonPerTable":10}',
    });
    expect(ko.json().detail).toMatch(/한 번의 공표에서 표당 ε는 최대 1/);
    expect((await budget()).spent.filter((b: { period: string }) => b.period === '2024')).toEqual([]); // nothing charged
  });

  it('concurrent releases cannot overspend: 8 at once at ε = 1 against a budget of 2, exactly 2 accepted', async () => {
    await seedOutcomes(s.store, 2023);
    const rs = await Promise.all(
      Array.from({ length: 8 }, () =>
        post('oversight', { epsilonPerTable: 1, tables: [OUTCOMES], period: { from: '2023-01', to: '2023-12' } }),
      ),
    );
    expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
    expect((await budget()).spent).toContainEqual({
      table: OUTCOMES,
      period: '2023',
      epsilonSpent: 2,
      epsilonRemaining: 0,
    });
  });

  it('property: for any sequence of release requests, accepted ε per table and budget period never exceeds the budget', async () => {
    const store = await freshStore(dialect);
    const keysDir = mkdtempSync(join(tmpdir(), 'cw-dp-'));
    const ledger = new Ledger(store, loadOrCreateLogKeys(keysDir, 'test.counterweight/log'), { maxDelayMs: 1 });
    const policy: PrivacyPolicy = {
      budgetPeriod: 'quarter',
      epsilonPerTablePerPeriod: 1,
      minEpsilonPerTableRelease: 0.05,
      maxEpsilonPerTableRelease: 0.5,
      suppressBelowFloor: 5,
      suppressBelowDefault: 10,
    };
    const tables = ['alerts-by-unit-month-outcome', OUTCOMES];
    const month = fc
      .tuple(fc.constantFrom(2024, 2025), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
    const request = fc.record({
      epsilonPerTable: fc.oneof(
        fc.constantFrom(0.05, 0.1, 0.2, 0.3, 0.333333, 0.5, 0.7, 0, 5e-324, Number.NaN),
        fc.double({ min: 0, max: 1, noNaN: true }),
      ),
      tables: fc.subarray(tables, { minLength: 1 }),
      period: fc.tuple(month, month).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
    });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), async (reqs) => {
          await store.db.deleteFrom('privacy_budget').execute();
          await store.db.deleteFrom('statistics_releases').execute();
          const accepted = new Map<string, number>();
          for (const req of reqs) {
            try {
              const r = await publishRelease(store, ledger, 'user:test-oversight', { ...req, policy });
              for (const t of r.tables)
                for (const bp of budgetPeriodsOf(r.period, 'quarter'))
                  accepted.set(
                    `${t.name}|${bp}`,
                    (accepted.get(`${t.name}|${bp}`) ?? 0) + Math.round(t.epsilon * MICRO),
                  );
            } catch (e) {
              if (!(e instanceof Error) || !/InputError|StateError/.test(e.name)) throw e;
            }
          }
          for (const [k, micro] of accepted) expect(micro, k).toBeLessThanOrEqual(MICRO);
          const rows = await store.db.selectFrom('privacy_budget').selectAll().execute();
          // The stored ledger of spending agrees with what was accepted, to the micro-ε.
          expect(
            Object.fromEntries(
              rows
                .filter((r) => Number(r.spent_micro) > 0)
                .map((r) => [`${r.table_name}|${r.period}`, Number(r.spent_micro)]),
            ),
          ).toEqual(Object.fromEntries(accepted));
        }),
        { numRuns: dialect === 'sqlite' ? 40 : 15 },
      );
    } finally {
      await ledger.close();
      await store.close();
      rmSync(keysDir, { recursive: true, force: true });
    }
  });
});
