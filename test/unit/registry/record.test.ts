import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { classify } from '../../../src/registry/classification';
import { CSV_COLUMNS, recordJsonSchema, toAlgoritmeregister, toAtrs, toCsv, type RegisterEntry } from '../../../src/registry/exports';
import { modelCardFromBacktest, modelCardFromVendor } from '../../../src/registry/model-card';
import { checkTransition, nextStates, parseRecord, recordCompleteness, RecordFlagsSchema, STATES, transitionEvent } from '../../../src/registry/record';
import { publicView, validateRedaction, type Redaction } from '../../../src/registry/redaction';
import { completeRecord } from './helpers';

const flags = (f: Partial<ReturnType<typeof RecordFlagsSchema.parse>>) => RecordFlagsSchema.parse(f);

describe('record', () => {
  it('a complete record has nothing missing; an empty draft lists every field', () => {
    expect(recordCompleteness(completeRecord())).toEqual([]);
    const draft = parseRecord({ system: { id: 'cctv', name: 'CCTV', version: '1', technology: 'object detection' } });
    expect(recordCompleteness(draft).map((m) => m.field)).toEqual(['purpose', 'intendedUse', 'prohibitedUses', 'legalBasis', 'deployingUnit', 'provider', 'accountableOwnerId', 'supervisorId', 'dataSources', 'personalData', 'model', 'humanOversight', 'notification.howNotified', 'notification.howToContest', 'externalSharing', 'training', 'monitoringPlan', 'outputSchema']);
  });
  it('checks substance: a data source without provenance, personal data without retention', () => {
    const r = completeRecord({ dataSources: [{ name: 'x', provenance: '', legalBasis: 'law', consent: 'unknown', containsPersonalData: true }], personalData: { categories: [], retentionDays: 0 } });
    expect(recordCompleteness(r).map((m) => m.field)).toEqual(['dataSources.0.provenance', 'dataSources.0.consent', 'personalData.categories', 'personalData.retentionDays']);
  });
  it('one technology, one output kind: a list of kinds or unknown fields are refused', () => {
    expect(() => parseRecord({ ...completeRecord(), outputSchema: { kind: ['cctv-detection', 'risk-score'], fields: {} } })).toThrow(InputError);
    try { parseRecord({ ...completeRecord(), technologies: ['a', 'b'] }); } catch (e) { expect((e as InputError).where[0].field).toBe('record'); }
    try { parseRecord({ ...completeRecord(), legalBasis: [{ title: 'x', url: 'javascript:alert(1)' }] }); } catch (e) { expect((e as InputError).where[0].field).toBe('record.legalBasis.0.url'); }
  });
  it('property: arbitrary JSON is refused with InputError and field paths, never a crash', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => {
      try { parseRecord(j); } catch (e) { expect(e).toBeInstanceOf(InputError); expect((e as InputError).where.every((w) => !!w.field)).toBe(true); }
    }), { numRuns: 300 });
  });
});

describe('lifecycle', () => {
  it('allowed transitions, and what each needs', () => {
    expect(nextStates('draft')).toEqual(['consultation', 'retired']);
    expect(nextStates('retired')).toEqual([]);
    expect(checkTransition('draft', 'active')).toMatchObject({ ok: false });
    expect(checkTransition('retired', 'active')).toMatchObject({ ok: false, reason: expect.stringMatching(/final/) });
    expect(checkTransition('consultation', 'approved')).toMatchObject({ ok: true, rule: { roles: ['oversight'], notByOwner: true, consultationClosed: true } });
    expect(checkTransition('paused', 'active')).toMatchObject({ ok: true, rule: { roles: ['oversight'], notByOwner: true, activationGate: true } });
    expect(checkTransition('approved', 'active')).toMatchObject({ ok: true, rule: { activationGate: true, notByOwner: false } });
    for (const a of STATES) for (const b of STATES) expect(checkTransition(a, b).ok).toBe(nextStates(a).includes(b));
  });
  it('the ledger event needs a pseudonymous actor and a reason', () => {
    const e = { systemId: 's', version: '1', from: 'active' as const, to: 'paused' as const, actor: 'user:AbCdEfGhIjKlMnOpQrStUv', reason: 'disparity alarm', at: '2026-06-01T00:00:00Z' };
    expect(transitionEvent(e).type).toBe('registry.transition');
    expect(() => transitionEvent({ ...e, actor: 'Kim Minsu' })).toThrow(/pseudonymous/);
    expect(() => transitionEvent({ ...e, reason: ' ' })).toThrow(/reason/);
    expect(() => transitionEvent({ ...e, to: 'draft' })).toThrow(InputError);
  });
});

describe('legal classification with reasons', () => {
  it('profiling-only crime prediction: prohibited under art. 5(1)(d), hard gate', () => {
    const c = classify(flags({ profilingOnly: true, personLevelRiskScoring: true }));
    expect(c.euAiAct.category).toBe('prohibited');
    expect(c.euAiAct.basis[0].provision).toBe('art. 5(1)(d)');
    expect(c.hardGates.map((g) => g.code)).toEqual(['profiling-only']);
    expect(c.korea.highImpact).toBe(true);
  });
  it('recidivism scoring on facts: high-risk Annex III 6(d), Korea high-impact', () => {
    const c = classify(flags({ personLevelRiskScoring: true }));
    expect(c.euAiAct).toMatchObject({ category: 'high-risk', basis: [{ provision: 'Annex III 6(d)' }] });
    expect(c.korea.highImpact).toBe(true);
    expect(c.hardGates).toEqual([]);
  });
  it('real-time biometric identification: prohibited without a current authorisation, high-risk with one', () => {
    const f = flags({ realTimeRemoteBiometricId: true });
    expect(classify(f, [], '2026-06-01T00:00:00Z')).toMatchObject({ euAiAct: { category: 'prohibited' }, hardGates: [{ code: 'authorisation-missing' }] });
    const auth = { authorisedBy: 'judge-7', authority: 'court', scope: 'one search', issuedAt: '2026-05-01T00:00:00Z', expiresAt: '2026-07-01T00:00:00Z' };
    const ok = classify(f, [auth], '2026-06-01T00:00:00Z');
    expect(ok.euAiAct.category).toBe('high-risk');
    expect(ok.euAiAct.basis[0].reason).toMatch(/judge-7/);
    expect(classify(f, [{ ...auth, scope: ' ' }], '2026-06-01T00:00:00Z').hardGates[0].code).toBe('authorisation-expired');
  });
  it('place-based patrol forecasting: EU "other" with the reason; Korea high-impact by policy, said so', () => {
    const c = classify(flags({ placeBasedForecasting: true }));
    expect(c.euAiAct.category).toBe('other');
    expect(c.euAiAct.basis[0].reason).toMatch(/places, not people/);
    expect(c.korea).toMatchObject({ highImpact: true, basis: [{ law: 'Counterweight policy' }] });
    expect(classify(flags({ emotionRecognition: true })).euAiAct.basis[0].provision).toBe('Annex III 1(c)');
  });
});

const red = (path: string, expiresAt = '2026-12-31T00:00:00Z'): Redaction => ({ path, reason: 'ongoing-investigation', legalReference: 'Official Information Disclosure Act art. 9(1)(4)', decidedBy: 'oversight-2', decidedAt: '2026-01-01T00:00:00Z', expiresAt });

describe('structured redaction', () => {
  const rec = completeRecord();
  const pseud = (id: string) => `user:${Buffer.from(id).toString('base64url').padEnd(8, 'x')}`;
  it('replaces the value with a marker naming the reason; the record stays', () => {
    const v = publicView(rec, [red('model.trainingData'), red('dataSources.0.provenance')], '2026-06-01T00:00:00Z', pseud);
    expect((v.record.model as Record<string, unknown>).trainingData).toMatchObject({ redacted: true, reason: 'ongoing-investigation', decidedBy: 'oversight-2' });
    expect((v.record.model as Record<string, unknown>).method).toBe('distance rules');
    expect(v.applied).toHaveLength(2);
    expect(v.record.accountableOwnerId).toBe(pseud('owner-1'));
    expect(rec.model!.trainingData).toBe('none (rules)'); // input untouched
  });
  it('expired redactions no longer apply', () => {
    const v = publicView(rec, [red('model.trainingData', '2026-05-31T23:59:59Z')], '2026-06-01T00:00:00Z', pseud);
    expect((v.record.model as Record<string, unknown>).trainingData).toBe('none (rules)');
    expect(v.expired).toHaveLength(1);
    expect(publicView(rec, [red('nothing.here')], '2026-06-01T00:00:00Z', pseud).unmatched).toHaveLength(1);
  });
  it('purpose, legal basis, identity and contest route are never withheld; decisions need reason and expiry', () => {
    for (const p of ['purpose', 'legalBasis.0.url', 'system.name', 'notification.howToContest', 'flags']) expect(() => validateRedaction(red(p))).toThrow(InputError);
    expect(() => validateRedaction({ ...red('model.method'), expiresAt: '2025-01-01T00:00:00Z' })).toThrow(/redaction/);
    expect(() => validateRedaction({ ...red('model.method'), reason: 'embarrassing' as never })).toThrow(InputError);
    expect(validateRedaction(red('model.method')).path).toBe('model.method');
  });
});

describe('exports', () => {
  const hostile = ['=HYPERLINK("http://evil","x")', 'a,b', 'say "hi"', 'line1\r\nline2', '+1', '@SUM(A1)', '-2', '\ttab', 'plain', '한국어, "인용"'];
  const entry = (purpose: string): RegisterEntry => {
    const rec = completeRecord({ purpose });
    return { record: publicView(rec, [red('model.trainingData')], '2026-06-01T00:00:00Z', (id) => `user:${id}xxxxxxxx`).record, state: 'active', assessment: { level: 3, levelRoman: 'III', status: 'approved' }, classification: classify(rec.flags), updatedAt: '2026-06-01T00:00:00Z' };
  };
  it('CSV: RFC 4180 quoting survives hostile strings (parsed back exactly with the guard off)', () => {
    const csv = toCsv(hostile.map(entry), { guardFormulas: false });
    const rows = parse(csv, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('purpose')])).toEqual(hostile);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });
  it('CSV: the formula guard prefixes an apostrophe to cells a spreadsheet would run', () => {
    const rows = parse(toCsv(hostile.map(entry)), {}) as string[][];
    const col = rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('purpose')]);
    expect(col[0]).toBe(`'${hostile[0]}`);
    expect(col[4]).toBe("'+1");
    expect(col[8]).toBe('plain');
    expect(rows[1][CSV_COLUMNS.indexOf('impact_level')]).toBe('III');
  });
  it('JSON Schema generated from the record schema', () => {
    const s = recordJsonSchema() as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['system', 'purpose', 'legalBasis', 'outputSchema', 'flags']));
    expect(s.required).toEqual(['system']);
  });
  it('ATRS and Algoritmeregister mappings keep redactions', () => {
    const e = entry('Warn officers');
    const atrs = toAtrs(e);
    expect(atrs.tier1.name).toBe('Stalking victim proximity alerts');
    expect(atrs.tier2.data_description).toMatch(/^\[withheld: ongoing-investigation/);
    expect(atrs.tier2.external_supplier).toBe('Vendor Co');
    const nl = toAlgoritmeregister(e);
    expect(nl).toMatchObject({ status: 'In gebruik', iama: 'Ja', lawful_basis_link: 'https://www.law.go.kr/', objection_procedure: 'complaint to the oversight board' });
  });
});

describe('model cards', () => {
  const sys = { id: 'forecaster', version: '0.3.0' };
  it('from a backtest summary: chosen model metrics with intervals and the baseline', () => {
    const c = modelCardFromBacktest(sys, {
      models: ['kde', 'all-history counts'], baselineModel: 'all-history counts',
      metrics: [
        { model: 'kde', window: 'week', metric: 'PAI', value: 4.2, interval: [3.1, 5.0], origins: 12 },
        { model: 'all-history counts', window: 'week', metric: 'PAI', value: 3.0, interval: [2.2, 3.9] },
      ],
      dataSnapshotHash: 'a'.repeat(64), dataDescription: 'NIJ Portland calls for service', config: { cellFt: 250 }, codeVersion: 'abc123', seed: 7, limitations: ['12 origins only'],
    }, '2026-06-01T00:00:00Z', 'time-weighted KDE on a 250-ft grid');
    expect(c.metrics).toEqual([{ name: 'PAI (week)', value: 4.2, interval: [3.1, 5.0], level: 0.95, dataset: 'rolling-origin backtest, 12 origins', baseline: 3.0 }]);
    expect(c.limitations).toContain('no subgroup results yet: run a bias audit before approval');
    expect(c.provenance).toEqual({ config: { cellFt: 250 }, codeVersion: 'abc123', seed: 7 });
  });
  it('from a vendor: validated, and says what is unknown', () => {
    const c = modelCardFromVendor(sys, { model: { name: 'v', version: '1', method: 'CNN' }, intendedUse: 'x', data: { description: 'd' }, metrics: [{ name: 'recall', value: 0.9 }], limitations: ['night'] }, '2026-06-01T00:00:00Z');
    expect(c.limitations).toEqual(['night', 'some metrics were supplied without intervals; their uncertainty is unknown', 'no subgroup results yet: run a bias audit before approval', 'supplied by the vendor and not reproduced by Counterweight']);
    expect(() => modelCardFromVendor(sys, { model: { name: 'v', version: '1', method: 'CNN' }, intendedUse: 'x', data: { description: 'd' }, metrics: [{ name: 'r', value: 1, interval: [2, 1] }], limitations: ['x'] }, 'now')).toThrow(InputError);
  });
});
