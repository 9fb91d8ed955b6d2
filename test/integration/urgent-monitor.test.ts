/**
 * Issue 24, item 4, on both databases: a kind whose response-time target is missed too often breaches
 * its monitor like a disparity does. A life-safety (immediate) kind is not paused — it is flagged
 * publicly and oversight notified; a prompt kind is paused as any breach pauses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveContract } from '../../src/registry/register';
import { activeSystem } from '../support/active-system';
import { completeRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

describe.each(DIALECTS)('response-time monitor on %s', (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    const record = completeRecord();
    (record as { outputSchema: unknown }).outputSchema = {
      kinds: ['stalking-proximity', 'cctv-detection'],
      fields: { risk: 'number' },
      required: ['risk'],
    };
    w = await activeSystem(s, 'Proximity alerts (vendor Z)', record);
  }, 120_000);
  afterAll(async () => s?.close());

  /** n alerts of a kind received an hour ago, `late` of them acknowledged after the 60/300 s target, the rest at 10 s. */
  async function alertsWith(kind: string, start: number, n: number, late: number) {
    const t0 = new Date(Date.now() - 3600_000);
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    for (let i = 0; i < n; i++) {
      const id = (await w.postAlert(start + i, { kind, output: { risk: 0.9 } })).json().id as string;
      const ackAfter = i < late ? 900 : 10;
      await s.store.db
        .updateTable('alerts')
        .set({
          received_at: iso(t0.getTime()),
          acknowledged_at: iso(t0.getTime() + ackAfter * 1000),
          ack_state: 'acknowledged',
        })
        .where('id', '=', id)
        .execute();
    }
  }

  it('a life-safety kind missing its target breaches, is flagged publicly and notified, and is NOT paused', async () => {
    // 10 stalking-proximity alerts, 4 acknowledged late: 6/10 = 60% < 90% asked.
    await alertsWith('stalking-proximity', 100, 10, 4);
    const mon = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/monitors`, {
      kind: 'response-time',
      alertKind: 'stalking-proximity',
      windowDays: 7,
      minShare: 0.9,
      minAlerts: 10,
    });
    expect(mon.statusCode, mon.body).toBe(201);
    const run = await w.call('oversight', 'POST', '/api/monitors/run');
    const r = run.json().find((x: { monitorId: string }) => x.monitorId === mon.json().id);
    expect(r).toMatchObject({
      breached: true,
      paused: false,
      evidence: { met: 6, judged: 10, share: 0.6, urgency: 'immediate', target: 60 },
    });
    expect((await liveContract(s.store.db, w.systemId))?.state).toBe('active');
    // Still taking alerts.
    expect((await w.postAlert(200, { kind: 'stalking-proximity', output: { risk: 0.5 } })).statusCode).toBe(201);
    const notes = (await s.app.inject({ method: 'GET', url: '/api/incident-notes' })).json() as {
      title: string;
      body: string;
    }[];
    const note = notes.find((n) => n.title.includes('stalking-proximity'));
    expect(note?.body).toMatch(
      /Only 6 of 10 stalking-proximity alerts \(60%\) were acknowledged within 60 s; the monitor asks for at least 90%\. This is a life-safety kind, so the system is not paused/,
    );
    const inbox = (await w.call('oversight', 'GET', '/api/notifications')).json() as { subject: string }[];
    expect(inbox.some((x) => x.subject === note!.title)).toBe(true);
    const breach = await s.store.db
      .selectFrom('monitor_events')
      .selectAll()
      .where('monitor_id', '=', mon.json().id)
      .execute();
    expect(breach.map((b) => b.breached)).toEqual([1]);
    // A second run the same day logs the breach again but does not publish a second note.
    await w.call('oversight', 'POST', '/api/monitors/run');
    expect(
      ((await s.app.inject({ method: 'GET', url: '/api/incident-notes' })).json() as { title: string }[]).filter(
        (n) => n.title === note!.title,
      ),
    ).toHaveLength(1);
  });

  it('below the minimum number of alerts there is no verdict; a prompt kind missing its target pauses the system', async () => {
    // cctv-detection is prompt (300 s target, pauseOnMissedTarget): 5 alerts, 3 late = 40% < 80%.
    await alertsWith('cctv-detection', 300, 5, 3);
    const few = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/monitors`, {
      kind: 'response-time',
      alertKind: 'cctv-detection',
      windowDays: 7,
      minShare: 0.8,
      minAlerts: 6,
    });
    expect(few.statusCode).toBe(201);
    const bad = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/monitors`, {
      kind: 'response-time',
      alertKind: 'teleportation',
      windowDays: 7,
      minShare: 2,
      minAlerts: 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['alertKind', 'minShare']),
    );
    let run = (await w.call('oversight', 'POST', '/api/monitors/run')).json();
    expect(run.find((x: { monitorId: string }) => x.monitorId === few.json().id)).toMatchObject({
      breached: false,
      evidence: { judged: 5, met: 2 },
    });
    const strict = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/monitors`, {
      kind: 'response-time',
      alertKind: 'cctv-detection',
      windowDays: 7,
      minShare: 0.8,
      minAlerts: 5,
    });
    run = (await w.call('oversight', 'POST', '/api/monitors/run')).json();
    expect(run.find((x: { monitorId: string }) => x.monitorId === strict.json().id)).toMatchObject({
      breached: true,
      paused: true,
      evidence: { share: 0.4, urgency: 'prompt' },
    });
    expect((await liveContract(s.store.db, w.systemId))?.state).toBe('paused');
  });
});
