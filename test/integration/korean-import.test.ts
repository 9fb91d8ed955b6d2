/**
 * A Korean agency's incident export: CP949, Korean headers named in the mapping file, UTM-K (EPSG:5179)
 * coordinates with thousands separators, local Seoul times, Korean incident types from
 * config/taxonomy.ko.json. On SQLite and PostgreSQL, through the import thread.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors';
import { projector } from '../../src/geo/crs';
import { resolveProfile } from '../../src/ingest/profiles';
import { loadTaxonomy } from '../../src/ingest/taxonomy';
import type { Store } from '../../src/store/db';
import { importIncidentFile } from '../../src/store/incidents';
import { DIALECTS, freshStore } from '../support/stores';

const taxonomy = loadTaxonomy('config/taxonomy.ko.json');
const tmp = mkdtempSync(join(tmpdir(), 'cw-korea-import-'));
const toUtmK = projector('EPSG:4326', 'EPSG:5179');
const grouped = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// Seoul City Hall and Yeongdeungpo station, as UTM-K metres printed with thousands separators.
const [hx, hy] = toUtmK(126.9779692, 37.5662952);
const [yx, yy] = toUtmK(126.9075, 37.5156);
const rows = [
  '사건번호,신고일시,사건종별,X좌표,Y좌표,관할서',
  `2017-0001,2017-03-01 21:30,절도,"${grouped(hx)}","${grouped(hy)}",남대문서`,
  `2017-0002,2017-03-02 02:05,음주운전 단속,"${grouped(yx)}","${grouped(yy)}",영등포서`,
  `2017-0003,2017-07-15 09:00,출입국관리법 위반,"${grouped(yx)}","${grouped(yy)}",영등포서`,
];
const CP949_FILE = join(tmp, 'seoul_incidents.cp949.csv');
writeFileSync(CP949_FILE, iconv.encode(`${rows.join('\r\n')}\r\n`, 'cp949'));
const mapping = (extra: object) => {
  const f = join(tmp, `mapping-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    f,
    JSON.stringify({
      source: 'seoul-police-export',
      crs: 'EPSG:5179',
      timeZone: 'Asia/Seoul',
      dateFormat: 'iso',
      columns: { id: '사건번호', type: '사건종별', date: '신고일시', x: 'X좌표', y: 'Y좌표', area: '관할서' },
      ...extra,
    }),
  );
  return f;
};

describe.each(DIALECTS)('Korean incident files on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(async () => store.close());

  it('imports a CP949 file named in the mapping: Korean columns, UTM-K with "1,234.56" numbers, Seoul time, Korean types', async () => {
    const r = await importIncidentFile(
      store,
      CP949_FILE,
      resolveProfile('generic', mapping({ encoding: 'cp949' })),
      taxonomy,
    );
    expect(r.errorCount).toBe(0);
    expect(r.imported).toBe(3);
    const got = await store.db
      .selectFrom('incidents')
      .selectAll()
      .where('source', '=', 'seoul-police-export')
      .orderBy('source_id')
      .execute();
    // 21:30 KST (UTC+9, no daylight saving) = 12:30Z; 02:05 on 2 March KST = 17:05Z on 1 March.
    expect(got.map((g) => g.occurred_at)).toEqual([
      '2017-03-01T12:30:00Z',
      '2017-03-01T17:05:00Z',
      '2017-07-15T00:00:00Z',
    ]);
    expect(got.map((g) => [g.type, g.origin])).toEqual([
      ['절도', 'citizen'],
      ['음주운전 단속', 'officer'],
      ['출입국관리법 위반', 'officer'],
    ]);
    expect(got[0].lon).toBeCloseTo(126.9779692, 6);
    expect(got[0].lat).toBeCloseTo(37.5662952, 6);
    expect(got[0].src_crs).toBe('EPSG:5179');
    expect(got[1].area).toBe('영등포서');
  });

  it('detects CP949 when nothing names the encoding; --encoding utf-8 on the same file fails naming the Korean columns', async () => {
    const auto = await importIncidentFile(
      store,
      CP949_FILE,
      resolveProfile('generic', mapping({ source: 'seoul-auto' })),
      taxonomy,
    );
    expect(auto.imported).toBe(3);
    const err = await importIncidentFile(
      store,
      CP949_FILE,
      resolveProfile('generic', mapping({ source: 'seoul-wrong' })),
      taxonomy,
      { encoding: 'utf-8' },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where.map((w) => w.field)).toEqual(expect.arrayContaining(['사건종별', '신고일시']));
    const n = await store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', 'seoul-wrong')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});

describe('the agency time zone', () => {
  it("a mapping without timeZone reads local times in the agency's zone (Asia/Seoul), not UTC", () => {
    const f = join(tmp, 'no-zone.json');
    writeFileSync(
      f,
      JSON.stringify({
        source: 's',
        crs: 'EPSG:5179',
        columns: { type: '사건종별', date: '신고일시', x: 'X좌표', y: 'Y좌표' },
      }),
    );
    const get = (c: string) =>
      (
        ({ 사건종별: '절도', 신고일시: '2017-03-01 21:30', X좌표: grouped(hx), Y좌표: grouped(hy) }) as Record<
          string,
          string
        >
      )[c] ?? '';
    const seoul = resolveProfile('generic', f, 'Asia/Seoul').map(get, 'x.csv');
    const utc = resolveProfile('generic', f).map(get, 'x.csv');
    expect(!Array.isArray(seoul) && seoul.iso).toBe('2017-03-01T12:30:00Z');
    expect(!Array.isArray(utc) && utc.iso).toBe('2017-03-01T21:30:00Z');
    expect(resolveProfile('generic', f, 'Asia/Seoul').timeZone).toBe('Asia/Seoul');
  });
});

describe('the Korean taxonomy', () => {
  it('tags the five major crimes citizen-reported and the crackdowns officer-initiated, with Korean and English labels', () => {
    for (const t of ['살인', '강도', '강간·강제추행', '절도', '폭력']) expect(taxonomy.originOf(t), t).toBe('citizen');
    for (const t of ['마약', '음주운전 단속', '출입국관리법 위반', '불심검문', '성매매', '도박'])
      expect(taxonomy.originOf(t), t).toBe('officer');
    for (const t of ['교통사고', '주취자', '실종', '가정폭력', '스토킹'])
      expect(taxonomy.originOf(t), t).toBe('citizen');
    expect(taxonomy.labelOf!('출입국관리법 위반', 'en')).toMatch(/illegal-stay/);
    expect(taxonomy.labelOf!('절도', 'ko')).toBe('절도');
    expect(taxonomy.size).toBeGreaterThanOrEqual(35);
  });
});
