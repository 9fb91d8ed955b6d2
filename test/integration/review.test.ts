import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { registerBundledSources } from '../../src/privacy/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/accounts/accounts';
import { setSetting } from '../../src/store/settings';
import { confirmClassification } from '../support/active-system';
import { runCli } from '../support/cli';
import { completeRecord, minimalAnswers, ownerModelCard, QUESTIONNAIRE } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

describe('human in the loop: intake, review, corroboration, expiry, disclosure', () => {
  let s: DemoServer;
  const as: Record<string, { cookie: string; csrf: string; id: string }> = {};
  let systemId = '';
  let key = '';
  const dir = mkdtempSync(join(tmpdir(), 'cw-review-'));
  const call = (who: string, method: string, url: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'GET',
      url,
      payload: payload as object,
      headers:
        who === 'public'
          ? {}
          : who === 'vendor'
            ? { authorization: `Bearer ${key}` }
            : { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf },
    });
  // A shift from yesterday to a month ahead, so the suite does not depend on the date it runs.
  const span = {
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
  const alert = (n: number, over: Record<string, unknown> = {}) => ({
    idempotencyKey: `vendor-alert-${String(n).padStart(4, '0')}`,
    kind: 'cctv-detection',
    modelVersion: 'cam-2.1',
    occurredAt: '2026-11-22T10:00:00Z',
    unit: 'district-1',
    subjectRef: 'person:Qx7aPz91Lm',
    output: { risk: 0.8, cell: 'c-12' },
    confidence: 0.8,
    explanation: { summary: 'loitering pattern near ATM', factors: [{ name: 'dwell time', weight: 0.6 }] },
    ...over,
  });

  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    await registerBundledSources(s.store, s.ledger); // the source completeRecord() names
    for (const u of ['system-owner', 'oversight', 'officer', 'supervisor', 'admin']) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u, password: PASSWORD },
      });
      as[u] = {
        cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
        csrf: r.json().csrfToken,
        id: r.json().id,
      };
    }
    systemId = (
      await call('system-owner', 'POST', '/api/systems', {
        name: 'CCTV analytics (vendor X)',
        record: completeRecord(),
      })
    ).json().systemId;
    const base = `/api/systems/${systemId}/versions/1`;
    await call('system-owner', 'POST', `${base}/transition`, {
      to: 'consultation',
      reason: 'publish',
      consultationDays: 0,
    });
    await confirmClassification(call, base, completeRecord());
    const aid = (
      await call('system-owner', 'POST', `${base}/assessments`, {
        questionnaire: QUESTIONNAIRE,
        answers: minimalAnswers(),
      })
    ).json().id;
    await call('oversight', 'POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'low impact' });
    await call('oversight', 'POST', `${base}/stress-test`, {});
    await call('oversight', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
    await call('system-owner', 'PUT', `${base}/model-card`, ownerModelCard());
    key = (await createApiKey(s.ledger, 'system:test-setup', { name: 'vendor X', roles: ['integration'], systemId }))
      .key;
  });
  afterAll(async () => s?.close());

  it('refuses alerts while the system is not active, then accepts them idempotently', async () => {
    const early = await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(1));
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/approved|refused/);
    expect(
      (
        await call('system-owner', 'POST', `/api/systems/${systemId}/versions/1/transition`, {
          to: 'active',
          reason: 'go live',
        })
      ).statusCode,
    ).toBe(200);
    const first = await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(1));
    expect(first.statusCode, first.body).toBe(201);
    const again = await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(1));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    expect((await s.store.db.selectFrom('alerts').selectAll().execute()).length).toBe(1);
  });

  it("refuses malformed alerts naming the field, personal data as a subject, and other systems' keys", async () => {
    const bad = await call(
      'vendor',
      'POST',
      `/api/systems/${systemId}/alerts`,
      alert(2, { output: { risk: 'high', face: 'x' } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['output.risk', 'output.face']),
    );
    const kind = await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(3, { kind: 'risk-score' }));
    expect(kind.statusCode).toBe(400);
    const pii = await call(
      'vendor',
      'POST',
      `/api/systems/${systemId}/alerts`,
      alert(4, { subjectRef: 'Jane Doe 1980-01-01' }),
    );
    expect(pii.statusCode).toBe(400);
    expect(pii.json().errors[0].field).toMatch(/subjectRef/);
    const other = (
      await createApiKey(s.ledger, 'system:test-setup', {
        name: 'other',
        roles: ['integration'],
        systemId: 'sys-000000000000',
      })
    ).key;
    const wrong = await s.app.inject({
      method: 'POST',
      url: `/api/systems/${systemId}/alerts`,
      headers: { authorization: `Bearer ${other}` },
      payload: alert(5),
    });
    expect(wrong.statusCode).toBe(403);
  });

  it('the officer of the unit sees it once on shift; a decision needs current training; enforcement needs corroboration', async () => {
    const offShift = await call('officer', 'GET', '/api/review/queue');
    expect(offShift.statusCode).toBe(409);
    expect(offShift.json().detail).toMatch(/not on shift in unit district-1/);
    expect(
      (await call('officer', 'POST', '/api/shifts', { unit: 'district-1', userId: as.officer.id, ...span })).statusCode,
    ).toBe(403);
    const rostered = await call('supervisor', 'POST', '/api/shifts', {
      unit: 'district-1',
      userId: as.officer.id,
      ...span,
    });
    expect(rostered.statusCode, rostered.body).toBe(201);
    expect((await call('officer', 'GET', '/api/review/shift')).json()).toMatchObject({
      unit: 'district-1',
      userId: as.officer.id,
    });
    const q = (await call('officer', 'GET', '/api/review/queue')).json();
    expect(q).toHaveLength(1);
    const id = q[0].id;
    const untrained = await call('officer', 'POST', `/api/alerts/${id}/decision`, {
      outcome: 'acted',
      reasonCode: 'confirmed-on-scene',
      reasonText: 'saw it',
    });
    expect(untrained.statusCode).toBe(403);
    expect(untrained.json().detail).toMatch(/training/);
    expect(
      (
        await call('supervisor', 'POST', '/api/training', {
          userId: as.officer.id,
          systemId,
          course: 'Advisory AI',
          completedAt: '2026-11-01T00:00:00Z',
          validUntil: '2027-11-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await call('supervisor', 'POST', '/api/duty', { unit: 'district-1', supervisorId: as.supervisor.id, ...span }))
        .statusCode,
    ).toBe(204);

    const aiOnly = await call('officer', 'POST', `/api/alerts/${id}/decision`, {
      outcome: 'acted',
      reasonCode: 'confirmed-on-scene',
      reasonText: 'the camera flagged him',
      enforcementAction: 'arrest',
    });
    expect(aiOnly.statusCode).toBe(400);
    expect(aiOnly.json().detail).toMatch(/never grounds/);
    expect(aiOnly.json().errors[0].field).toBe('corroboration');
    expect((await s.store.db.selectFrom('decisions').selectAll().execute()).length).toBe(0);

    const ok = await call('officer', 'POST', `/api/alerts/${id}/decision`, {
      outcome: 'acted',
      reasonCode: 'confirmed-on-scene',
      reasonText: 'approached, ATM skimmer found',
      enforcementAction: 'arrest',
      corroboration: { kind: 'physical-evidence', description: 'card skimmer attached to ATM slot, photographed' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().supervisorId).toBe(as.supervisor.id);
    expect(
      (
        await call('officer', 'POST', `/api/alerts/${id}/decision`, {
          outcome: 'not-acted',
          reasonCode: 'other',
          reasonText: 'again',
        })
      ).statusCode,
    ).toBe(409);

    const chain = (await call('oversight', 'GET', `/api/alerts/${id}`)).json().responsibility;
    expect(chain.systemOwner.name).toBe('system-owner');
    expect(chain.assessmentApprover.name).toBe('oversight');
    expect(chain.supervisorOnDuty.name).toBe('supervisor');
    expect(chain.reviewer.name).toBe('officer');
  });

  it('expired alerts are recorded as expired, in the table and the log', async () => {
    const r = await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(10));
    await s.store.db
      .updateTable('alerts')
      .set({ expires_at: '2000-01-01T00:00:00Z' })
      .where('id', '=', r.json().id)
      .execute();
    expect((await call('officer', 'GET', '/api/review/queue')).json().map((a: { id: string }) => a.id)).not.toContain(
      r.json().id,
    );
    const d = await s.store.db
      .selectFrom('decisions')
      .selectAll()
      .where('alert_id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(d.outcome).toBe('expired');
    const types = (await s.store.db.selectFrom('ledger_payloads').select('type').execute()).map((x) => x.type);
    expect(types).toContain('alert.expired');
  });

  it('flags a reviewer who accepts nearly everything in seconds', async () => {
    for (let i = 20; i < 31; i++) {
      const id = (await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(i))).json().id;
      expect(
        (
          await call('officer', 'POST', `/api/alerts/${id}/decision`, {
            outcome: 'acted',
            reasonCode: 'confirmed-on-scene',
            reasonText: 'ok, seen',
          })
        ).statusCode,
      ).toBe(201);
    }
    const stats = (await call('supervisor', 'GET', '/api/review/stats')).json();
    const me = stats.reviewers.find((r: { key: string }) => r.key === as.officer.id);
    expect(me.decisions).toBe(12);
    expect(me.acceptanceRate).toBe(1);
    expect(me.flagged).toBe(true);
  });

  it('shifts scope the queue: alerts for a later shift wait, off-shift reviewers are refused, rosters are checked', async () => {
    const later = new Date(Date.now() + 60 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    // An alert dated 60 days ahead is refused unless the site allows that much clock skew (alert-intake.test.ts).
    await setSetting(s.store.db, 'review.maxClockSkewMinutes', String(61 * 24 * 60));
    const future = (
      await call(
        'vendor',
        'POST',
        `/api/systems/${systemId}/alerts`,
        alert(40, { occurredAt: later, ttlMinutes: 7 * 24 * 60 }),
      )
    ).json().id;
    await setSetting(s.store.db, 'review.maxClockSkewMinutes', '5');
    const now = (await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(41))).json().id;
    const ids = (await call('officer', 'GET', '/api/review/queue')).json().map((a: { id: string }) => a.id);
    expect(ids).toContain(now);
    expect(ids).not.toContain(future);
    // To an officer, a later shift's alert is as invisible as in the queue (src/review/scope.ts).
    const early = await call('officer', 'POST', `/api/alerts/${future}/decision`, {
      outcome: 'not-acted',
      reasonCode: 'other',
      reasonText: 'not yet',
    });
    expect(early.statusCode).toBe(404);
    expect(early.json().detail).toMatch(/later shift/);

    // Rosters: own unit only, members of the unit only, end after start.
    expect(
      (await call('supervisor', 'POST', '/api/shifts', { unit: 'district-2', userId: as.officer.id, ...span }))
        .statusCode,
    ).toBe(403);
    const stranger = await createUser(s.ledger, 'system:test-setup', {
      username: 'other-unit-officer',
      password: PASSWORD,
      roles: ['officer'],
      unit: 'district-2',
    });
    const wrongUnit = await call('supervisor', 'POST', '/api/shifts', {
      unit: 'district-1',
      userId: stranger.id,
      ...span,
    });
    expect(wrongUnit.statusCode).toBe(400);
    expect(wrongUnit.json().errors[0].field).toBe('unit');
    const backwards = await call('supervisor', 'POST', '/api/shifts', {
      unit: 'district-1',
      userId: as.officer.id,
      startsAt: span.endsAt,
      endsAt: span.startsAt,
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('endsAt');
    // Malformed and hostile rosters are refused naming the field, and write nothing.
    const count = async () =>
      (
        await s.store.db
          .selectFrom('shifts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const shiftsBefore = Number(await count());
    for (const [body, field] of [
      [{ unit: 'district-1', userId: 'not-a-uuid', ...span }, 'userId'],
      [{ unit: 'district-1', userId: as.officer.id, startsAt: 'yesterday', endsAt: span.endsAt }, 'startsAt'],
      [{ unit: 'District 1; DROP TABLE shifts', userId: as.officer.id, ...span }, 'unit'],
      [{ unit: 'district-1', userId: as.officer.id, ...span, role: 'admin' }, ''],
    ] as const) {
      const r = await call('supervisor', 'POST', '/api/shifts', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.json().errors)).toContain(field);
    }
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const r = await call('supervisor', 'POST', '/api/shifts', body);
        expect([400, 415]).toContain(r.statusCode);
      }),
      { numRuns: 40 },
    );
    expect(Number(await count())).toBe(shiftsBefore);
    const listed = (await call('supervisor', 'GET', '/api/shifts')).json();
    expect(listed.map((x: { userId: string }) => x.userId)).toEqual(
      expect.arrayContaining([as.officer.id, as.supervisor.id]),
    );
    expect((await call('officer', 'GET', '/api/shifts')).statusCode).toBe(403);
    // Who can be rostered: the unit's officers and supervisors, not its analysts or administrators.
    const reviewers = (await call('supervisor', 'GET', '/api/shifts/reviewers')).json();
    expect(reviewers.map((r: { name: string }) => r.name).sort()).toEqual(['officer', 'supervisor']);
    expect((await call('supervisor', 'GET', '/api/shifts/reviewers?unit=district-2')).statusCode).toBe(403);

    // When the officer's shift has ended, the queue and decisions close to them.
    const ended = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await s.store.db.updateTable('shifts').set({ ends_at: ended }).where('user_id', '=', as.officer.id).execute();
    expect((await call('officer', 'GET', '/api/review/queue')).statusCode).toBe(409);
    const offDuty = await call('officer', 'POST', `/api/alerts/${now}/decision`, {
      outcome: 'not-acted',
      reasonCode: 'other',
      reasonText: 'after hours',
    });
    expect(offDuty.statusCode).toBe(409);
    expect(offDuty.json().detail).toMatch(/not on shift/);
    expect((await call('supervisor', 'GET', '/api/review/queue')).json().map((a: { id: string }) => a.id)).toContain(
      now,
    );
  });

  it('refuses alerts once the system is paused', async () => {
    expect(
      (
        await call('oversight', 'POST', `/api/systems/${systemId}/versions/1/transition`, {
          to: 'paused',
          reason: 'disparity review',
        })
      ).statusCode,
    ).toBe(200);
    const r = await call('vendor', 'POST', `/api/systems/${systemId}/alerts`, alert(99));
    expect(r.statusCode).toBe(409);
    expect(r.json().detail).toMatch(/paused/);
  });

  it('a disclosure packet verifies offline after the server is stopped, and tampering is caught', async () => {
    const id = (
      await s.store.db
        .selectFrom('decisions')
        .select('alert_id')
        .where('enforcement_action', '=', 'arrest')
        .executeTakeFirstOrThrow()
    ).alert_id;
    const purpose = { 'x-purpose': 'legal-proceedings; defence request in case 2026-CR-114' };
    const noPurpose = await call('supervisor', 'GET', `/api/alerts/${id}/disclosure`);
    expect(noPurpose.statusCode).toBe(400);
    const packet = await s.app.inject({
      url: `/api/alerts/${id}/disclosure`,
      headers: { cookie: as.supervisor.cookie, ...purpose },
    });
    expect(packet.statusCode).toBe(200);
    const pdf = await s.app.inject({
      url: `/api/alerts/${id}/disclosure?format=pdf`,
      headers: { cookie: as.oversight.cookie, ...purpose },
    });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const vkey = s.ledger.keys.verifierKeys[0];
    writeFileSync(join(dir, 'packet.json'), packet.body);
    await s.close();
    const ok = await runCli(['verify', 'disclosure', join(dir, 'packet.json'), '--key', vkey]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/OK +entries\[1\]\.receipt: entry \d+ \(human\.decision\) is in the log/);
    expect(ok.stdout).toMatch(/OK +entries\[1\]\.payload: the payload re-computes the commitment/);
    const tampered = JSON.parse(readFileSync(join(dir, 'packet.json'), 'utf8'));
    tampered.entries[1].payload = tampered.entries[1].payload.replace('"outcome":"acted"', '"outcome":"not-acted"');
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const bad = await runCli(['verify', 'disclosure', join(dir, 'tampered.json'), '--key', vkey]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/FAIL entries\[1\]\.payload: the payload and salt do not re-compute the commitment/);
  });
});
