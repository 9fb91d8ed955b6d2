/**
 * Issue 24, on both databases: an urgent alert is pushed to its unit's reviewers on shift (and to no
 * other unit), acknowledged by a person, escalated along its chain at its deadline from the database
 * (no page open, a fresh process picks it up), each step logged without personal data; protective
 * actions need no corroboration, coercive ones do; the dispatch webhook is signed and retried; the
 * response statistics match hand-computed figures.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { ESCALATION_CHUNK, UrgentAlerts } from '../../src/review/urgent';
import { loadUrgencyPolicy, type UrgencyPolicy } from '../../src/review/urgency';
import { activeSystem } from '../support/active-system';
import { completeRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const SECRET = 'test-dispatch-secret-0123456789';

/** The shipped policy with short deadlines: 2 s per step, reviewers → duty supervisor → control room. */
function testPolicy(webhookUrl: string): UrgencyPolicy {
  const p = loadUrgencyPolicy('config/urgency.json');
  p.urgencies.immediate = {
    ...p.urgencies.immediate,
    acknowledgeWithinSeconds: 2,
    chain: [
      { to: 'on-shift-reviewers', withinSeconds: 2 },
      { to: 'duty-supervisor', withinSeconds: 2 },
      { to: 'unit', unit: 'control-room', withinSeconds: 2 },
    ],
  };
  p.sweepSeconds = 3600; // the tests sweep themselves, at chosen times
  p.heartbeatSeconds = 0.2;
  p.webhook = { ...p.webhook, url: webhookUrl, initialBackoffMs: 20, maxAttempts: 4 };
  return p;
}

interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

/** A minimal SSE client over fetch: collects events; `status` is the HTTP status. */
async function openStream(url: string, cookie: string, lastEventId?: number) {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/review/stream`, {
    headers: {
      cookie,
      accept: 'text/event-stream',
      ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}),
    },
    signal: ac.signal,
  });
  const events: SseEvent[] = [];
  let heartbeats = 0;
  if (res.ok) {
    void (async () => {
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (frame.includes(': heartbeat')) heartbeats++;
            const f: Record<string, string> = {};
            for (const line of frame.split('\n')) {
              const m = /^(id|event|data): (.*)$/.exec(line);
              if (m) f[m[1]] = m[2];
            }
            if (f.event) events.push({ id: Number(f.id), event: f.event, data: JSON.parse(f.data) });
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: res.status,
    body: res.ok ? '' : await res.text(),
    events,
    heartbeats: () => heartbeats,
    close: () => ac.abort(),
    contentType: res.headers.get('content-type'),
  };
}

const until = async (cond: () => boolean | Promise<boolean>, ms = 5000) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(DIALECTS)('urgent alerts on %s', (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  let hook: Server;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let failFirst = 1;
  const login = async (username: string) => {
    const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    return {
      cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
      csrf: r.json().csrfToken as string,
      id: r.json().id as string,
    };
  };
  const as: Record<string, { cookie: string; csrf: string; id: string }> = {};
  const call = (who: string, method: string, url: string, payload?: unknown) =>
    s.app.inject({
      method: method as 'POST',
      url,
      payload: payload as object,
      headers: { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf },
    });
  const crowd = (n: number, over: Record<string, unknown> = {}) =>
    w.postAlert(n, {
      kind: 'crowd-density',
      output: { risk: 0.95 },
      place: { lon: 126.99, lat: 37.53 },
      subjectRef: 'person:Victim_Name_1990',
      explanation: { summary: 'density above 6 persons/m²', factors: [] },
      occurredAt: new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      ...over,
    });

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(503).end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    s = await startDemoServer({
      demo: false,
      dialect,
      config: { urgencyPolicy: testPolicy(`http://127.0.0.1:${port}/dispatch`), dispatchWebhookSecret: SECRET },
    });
    const record = completeRecord();
    (record as { outputSchema: unknown }).outputSchema = {
      kinds: ['crowd-density', 'stalking-proximity', 'cctv-detection', 'risk-score'],
      fields: { risk: 'number' },
      required: ['risk'],
    };
    w = await activeSystem(s, 'Crowd density (vendor Y)', record);
    for (const [username, unit] of [
      ['officer-d2', 'district-2'],
      ['officer-cr', 'control-room'],
      ['officer-off', 'district-1'],
    ] as const) {
      await createUser(s.ledger, 'system:test-setup', { username, password: PASSWORD, roles: ['officer'], unit });
    }
    for (const u of ['officer', 'supervisor', 'admin', 'officer-d2', 'officer-cr', 'officer-off'])
      as[u] = await login(u);
    const span = {
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    };
    for (const [u, unit] of [
      ['officer-d2', 'district-2'],
      ['officer-cr', 'control-room'],
    ] as const) {
      const r = await call('admin', 'POST', '/api/shifts', { unit, userId: as[u].id, ...span });
      expect(r.statusCode, r.body).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await new Promise((r) => hook?.close(r));
  });

  it("pushes an urgent alert to the unit's on-shift reviewer at once, with no personal data, and to no other unit; off shift the stream is refused", async () => {
    const off = await openStream(s.url, as['officer-off'].cookie);
    expect(off.status).toBe(409);
    expect(off.body).toMatch(/not on shift/);
    const mine = await openStream(s.url, as.officer.cookie);
    const other = await openStream(s.url, as['officer-d2'].cookie);
    expect(mine.status).toBe(200);
    expect(mine.contentType).toMatch(/^text\/event-stream/);
    expect(other.status).toBe(200);
    await until(() => mine.heartbeats() > 0);
    const r = await crowd(1);
    expect(r.statusCode, r.body).toBe(201);
    await until(() => mine.events.some((e) => e.data.alertId === r.json().id));
    const ev = mine.events.find((e) => e.data.alertId === r.json().id)!;
    expect(ev).toMatchObject({
      id: r.json().logIndex,
      event: 'alert',
      data: { kind: 'crowd-density', urgency: 'immediate', unit: 'district-1' },
    });
    // No subject, place, output or explanation in the pushed event.
    expect(JSON.stringify(ev)).not.toMatch(/Victim|126\.99|density above|subjectRef|place/);
    // A routine alert is not pushed; another unit's stream received nothing at all.
    const routine = await w.postAlert(2, { kind: 'risk-score' });
    expect(routine.statusCode).toBe(201);
    await until(() => other.heartbeats() > 2);
    expect(other.events).toEqual([]);
    expect(mine.events.some((e) => e.data.alertId === routine.json().id)).toBe(false);
    const row = await s.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ urgency: 'immediate', ack_state: 'awaiting', ack_target_s: 2, escalation_step: 0 });
    expect(Date.parse(row.ack_due_at!) - Date.parse(row.received_at)).toBe(2000);
    mine.close();
    other.close();
  });

  it('a reconnect with Last-Event-ID is replayed exactly what it missed', async () => {
    const a = await crowd(10);
    const b = await crowd(11);
    const again = await openStream(s.url, as.officer.cookie, a.json().logIndex);
    await until(() => again.events.some((e) => e.data.alertId === b.json().id));
    const ids = again.events.map((e) => e.data.alertId);
    expect(ids).not.toContain(a.json().id);
    expect(ids.filter((x) => x === b.json().id)).toHaveLength(1);
    again.close();
    const bad = await openStream(s.url, as.officer.cookie, -1 as unknown as number);
    expect(bad.status).toBe(400);
    // A client that does not ask for an event stream gets an answer, not a stream left open.
    const plain = await s.app.inject({
      method: 'GET',
      url: '/api/review/stream',
      headers: { cookie: as.officer.cookie },
    });
    expect(plain.statusCode).toBe(406);
  });

  it('the dispatch webhook gets a signed POST, retried after a failure, without blocking intake', async () => {
    await until(() => received.filter((x) => x.body.includes('"event":"alert"')).length >= 2);
    const first = received[0];
    const retry = received.find((x, i) => i > 0 && JSON.parse(x.body).deliveryId === JSON.parse(first.body).deliveryId);
    expect(retry, 'the delivery refused with 503 is sent again').toBeDefined();
    for (const x of received) {
      const ts = String(x.headers['x-counterweight-timestamp']);
      expect(x.headers['x-counterweight-signature']).toBe(
        `v1=${createHmac('sha256', SECRET).update(`${ts}.${x.body}`).digest('hex')}`,
      );
    }
    const body = JSON.parse(first.body);
    expect(body).toMatchObject({
      event: 'alert',
      kind: 'crowd-density',
      urgency: 'immediate',
      unit: 'district-1',
      place: { lon: 126.99, lat: 37.53 },
    });
    expect(first.body).not.toMatch(/Victim|pseud:/);
    // Only kinds whose urgency says webhook are sent (risk-score: routine).
    expect(received.some((x) => JSON.parse(x.body).kind === 'risk-score')).toBe(false);
  });

  it('escalates an unacknowledged alert at its deadline to the duty supervisor, then the control room, each step logged; a fresh process picks deadlines up from the database', async () => {
    const officer = await openStream(s.url, as.officer.cookie);
    const supervisor = await openStream(s.url, as.supervisor.cookie);
    const control = await openStream(s.url, as['officer-cr'].cookie);
    const d2 = await openStream(s.url, as['officer-d2'].cookie);
    await until(
      () => officer.heartbeats() > 0 && supervisor.heartbeats() > 0 && control.heartbeats() > 0 && d2.heartbeats() > 0,
    );
    const r = await crowd(20);
    const id = r.json().id as string;
    // The sweep is run at times chosen around the stored deadline (a loaded machine cannot make it early or late).
    const due = Date.parse(
      (await s.store.db.selectFrom('alerts').select('ack_due_at').where('id', '=', id).executeTakeFirstOrThrow())
        .ack_due_at!,
    );
    // Before the deadline nothing moves.
    await s.urgent.sweep(new Date(due - 1000));
    expect(
      await s.store.db.selectFrom('alert_escalations').selectAll().where('alert_id', '=', id).execute(),
    ).toHaveLength(0);
    // Past it: the duty supervisor (the one on duty in district-1), pushed to them alone.
    const t1 = new Date(due + 1000);
    await s.urgent.sweep(t1);
    const step1 = await s.store.db.selectFrom('alert_escalations').selectAll().where('alert_id', '=', id).execute();
    expect(step1).toHaveLength(1);
    expect(step1[0]).toMatchObject({
      step: 1,
      to_kind: 'duty-supervisor',
      target_user: as.supervisor.id,
      target_unit: 'district-1',
    });
    await until(() => supervisor.events.some((e) => e.event === 'escalation' && e.data.alertId === id));
    expect(supervisor.events.find((e) => e.event === 'escalation' && e.data.alertId === id)!.data).toMatchObject({
      step: 1,
      to: 'duty-supervisor',
    });
    // The next step runs in another process (as after a restart): only the database holds the deadline.
    const restarted = new UrgentAlerts(s.store, s.ledger, s.urgent.policy, { webhookSecret: SECRET });
    await restarted.sweep(new Date(t1.getTime() + 3000));
    await restarted.close();
    const steps = await s.store.db
      .selectFrom('alert_escalations')
      .selectAll()
      .where('alert_id', '=', id)
      .orderBy('step')
      .execute();
    expect(steps.map((x) => [x.step, x.to_kind, x.target_unit])).toEqual([
      [1, 'duty-supervisor', 'district-1'],
      [2, 'unit', 'control-room'],
    ]);
    // The log: one alert.escalated entry per step, naming the alert and no personal data.
    const entries = (
      await s.store.db
        .selectFrom('ledger_payloads')
        .select(['type', 'payload'])
        .where('type', '=', 'alert.escalated')
        .execute()
    )
      .map((x) => JSON.parse(x.payload!))
      .filter((p) => p.alertId === id);
    expect(entries.map((p) => p.step)).toEqual([1, 2]);
    expect(JSON.stringify(entries)).not.toMatch(/Victim|126\.99|pseud:/);
    // The escalation reached the supervisor's stream and nobody else's (in district-1 the officer got only the alert).
    expect(officer.events.filter((e) => e.event === 'escalation' && e.data.alertId === id)).toEqual([]);
    expect(d2.events).toEqual([]);
    // The control room may read and acknowledge it; district-2 gets 404 as for a missing alert.
    expect((await call('officer-d2', 'POST', `/api/alerts/${id}/acknowledge`)).statusCode).toBe(404);
    expect(
      (await s.app.inject({ method: 'GET', url: `/api/alerts/${id}`, headers: { cookie: as['officer-d2'].cookie } }))
        .statusCode,
    ).toBe(404);
    const read = await s.app.inject({
      method: 'GET',
      url: `/api/alerts/${id}`,
      headers: { cookie: as['officer-cr'].cookie, 'x-purpose': 'alert-review' },
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().alert).toMatchObject({ id, escalationStep: 2, ackState: 'awaiting' });
    const ack = await call('officer-cr', 'POST', `/api/alerts/${id}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().step).toBe(2);
    expect((await call('officer', 'POST', `/api/alerts/${id}/acknowledge`)).statusCode).toBe(409);
    // Acknowledged: no further step however late it gets.
    await s.urgent.sweep(new Date(Date.now() + 3_600_000));
    expect(
      await s.store.db.selectFrom('alert_escalations').selectAll().where('alert_id', '=', id).execute(),
    ).toHaveLength(2);
    for (const x of [officer, supervisor, control, d2]) x.close();
  });

  it('an alert acknowledged in time never escalates; past the last step it is logged unanswered once', async () => {
    const a = (await crowd(30)).json().id as string;
    expect((await call('officer', 'POST', `/api/alerts/${a}/acknowledge`)).statusCode).toBe(200);
    const b = (await crowd(31)).json().id as string;
    for (let i = 1; i <= 5; i++) await s.urgent.sweep(new Date(Date.now() + i * 3000));
    expect(
      await s.store.db.selectFrom('alert_escalations').selectAll().where('alert_id', '=', a).execute(),
    ).toHaveLength(0);
    const steps = await s.store.db
      .selectFrom('alert_escalations')
      .select(['step', 'to_kind'])
      .where('alert_id', '=', b)
      .orderBy('step')
      .execute();
    expect(steps).toEqual([
      { step: 1, to_kind: 'duty-supervisor' },
      { step: 2, to_kind: 'unit' },
      { step: 3, to_kind: 'unanswered' },
    ]);
    expect(
      (await s.store.db.selectFrom('alerts').select('ack_state').where('id', '=', b).executeTakeFirstOrThrow())
        .ack_state,
    ).toBe('unanswered');
  });

  it('a protective action is taken at once without corroboration or training; a coercive one is refused without corroboration and nothing is written', async () => {
    const id = (await crowd(40)).json().id as string;
    // officer-cr is untrained and in another unit: the alert is not escalated to them, so 404.
    expect(
      (
        await call('officer-cr', 'POST', `/api/alerts/${id}/actions`, {
          kind: 'protective',
          action: 'crowd-control',
          reasonText: 'open the side exits',
        })
      ).statusCode,
    ).toBe(404);
    const untrained = await createUser(s.ledger, 'system:test-setup', {
      username: 'officer-new',
      password: PASSWORD,
      roles: ['officer'],
      unit: 'district-1',
    });
    as['officer-new'] = await login('officer-new');
    const span = {
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    expect(
      (await call('supervisor', 'POST', '/api/shifts', { unit: 'district-1', userId: untrained.id, ...span }))
        .statusCode,
    ).toBe(201);
    const prot = await call('officer-new', 'POST', `/api/alerts/${id}/actions`, {
      kind: 'protective',
      action: 'crowd-control',
      reasonText: 'close the alley entrance, open the side exits',
    });
    expect(prot.statusCode, prot.body).toBe(201);
    const alert = await s.store.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ ack_state: 'acknowledged', acknowledged_by: untrained.id, status: 'pending' });
    expect(alert.first_action_at).not.toBeNull();
    const before = await s.store.db.selectFrom('alert_actions').selectAll().where('alert_id', '=', id).execute();
    const coercive = await call('officer', 'POST', `/api/alerts/${id}/actions`, {
      kind: 'coercive',
      action: 'stop',
      reasonText: 'the model flagged him',
    });
    expect(coercive.statusCode).toBe(400);
    expect(coercive.json().errors[0].field).toBe('corroboration');
    expect(coercive.json().detail).toMatch(/never grounds/);
    const ko = await s.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/actions`,
      headers: { cookie: as.officer.cookie, 'x-csrf-token': as.officer.csrf, 'accept-language': 'ko' },
      payload: { kind: 'coercive', action: 'stop', reasonText: 'x'.repeat(5) },
    });
    expect(ko.json().detail).toMatch(/보강 증거/);
    expect(await s.store.db.selectFrom('alert_actions').selectAll().where('alert_id', '=', id).execute()).toHaveLength(
      before.length,
    );
    // The untrained officer cannot take a coercive one even with corroboration; the trained one can.
    const corroboration = { kind: 'officer-observation', description: 'saw him push people toward the alley' };
    expect(
      (
        await call('officer-new', 'POST', `/api/alerts/${id}/actions`, {
          kind: 'coercive',
          action: 'stop',
          reasonText: 'observed',
          corroboration,
        })
      ).statusCode,
    ).toBe(403);
    const ok = await call('officer', 'POST', `/api/alerts/${id}/actions`, {
      kind: 'coercive',
      action: 'stop',
      reasonText: 'observed pushing',
      corroboration,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    // A later action changes neither the time to act nor who acknowledged: both are set once.
    const after = await s.store.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      ack_state: 'acknowledged',
      acknowledged_by: untrained.id,
      acknowledged_at: alert.acknowledged_at,
      first_action_at: alert.first_action_at,
      ack_due_at: null,
    });
    const logged = (
      await s.store.db.selectFrom('ledger_payloads').select('payload').where('type', '=', 'human.action').execute()
    )
      .map((x) => JSON.parse(x.payload!))
      .filter((p) => p.alertId === id);
    expect(logged.map((p) => [p.kind, p.action, p.actorId])).toEqual([
      ['protective', 'crowd-control', untrained.id],
      ['coercive', 'stop', as.officer.id],
    ]);
    expect(logged.every((p) => typeof p.at === 'string' && p.reasonText.length > 3)).toBe(true);
    const detail = await s.app.inject({
      method: 'GET',
      url: `/api/alerts/${id}`,
      headers: { cookie: as.officer.cookie, 'x-purpose': 'alert-review' },
    });
    expect(detail.json().actions.map((x: { action: string }) => x.action)).toEqual(['crowd-control', 'stop']);
  });

  it('response statistics: time to acknowledge and act, the share that met the target, escalations — against hand-computed figures', async () => {
    // Four stalking-proximity alerts with set times (target 2 s to acknowledge, 300 s to act):
    // acknowledged at +1 s (met), +3 s (late), +2 s (met, on the deadline), never (missed, past target).
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await w.postAlert(50 + i, { kind: 'stalking-proximity', output: { risk: 0.9 } })).json().id);
    const t0 = '2026-06-01T00:00:00Z';
    const plus = (s: number) => new Date(Date.parse(t0) + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const set = [
      [1, 100],
      [3, 400],
      [2, null],
      [null, null],
    ] as const;
    for (const [i, id] of ids.entries()) {
      await s.store.db
        .updateTable('alerts')
        .set({
          unit: 'district-9',
          received_at: t0,
          acknowledged_at: set[i][0] === null ? null : plus(set[i][0]),
          first_action_at: set[i][1] === null ? null : plus(set[i][1]),
          ack_state: set[i][0] === null ? 'unanswered' : 'acknowledged',
          escalation_step: set[i][0] === null ? 3 : 0,
        })
        .where('id', '=', id)
        .execute();
    }
    const r = await s.app.inject({
      method: 'GET',
      url: '/api/review/response?unit=district-9&kind=stalking-proximity',
      headers: { cookie: (await login('oversight')).cookie },
    });
    expect(r.statusCode, r.body).toBe(200);
    const row = r.json().byKindAndUnit[0];
    expect(row).toMatchObject({
      kind: 'stalking-proximity',
      unit: 'district-9',
      urgency: 'immediate',
      alerts: 4,
      acknowledged: 3,
      // median of [1, 2, 3] = 2; nearest-rank p90 of 3 values = the 3rd = 3
      medianSecondsToAcknowledge: 2,
      p90SecondsToAcknowledge: 3,
      judged: 4,
      metAcknowledgeTarget: 2,
      shareMetAcknowledgeTarget: 0.5,
      // acted at 100 s (met) and 400 s (late, target 300); the other two never acted and are past 300 s.
      acted: 2,
      medianSecondsToAct: 250,
      judgedAct: 4,
      metActTarget: 1,
      shareMetActTarget: 0.25,
      escalations: 3,
      unanswered: 1,
    });
    // A supervisor sees their own unit only.
    const sup = await call('supervisor', 'GET', '/api/review/response?unit=district-9');
    expect(sup.json().byKindAndUnit.every((x: { unit: string }) => x.unit === 'district-1')).toBe(true);
  });

  it('a storm of due alerts (more than one sweep chunk) escalates each exactly once, in deadline order, even with two processes sweeping at once', async () => {
    const n = ESCALATION_CHUNK * 2 + 22;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await crowd(1000 + i)).json().id as string);
    const rows = await s.store.db.selectFrom('alerts').select(['id', 'ack_due_at']).where('id', 'in', ids).execute();
    const latest = Math.max(...rows.map((r) => Date.parse(r.ack_due_at!)));
    const at = new Date(latest + 1000);
    const other = new UrgentAlerts(s.store, s.ledger, s.urgent.policy, { webhookSecret: SECRET });
    const [a, b] = await Promise.all([s.urgent.sweep(at), other.sweep(at)]);
    await other.close();
    expect(a + b).toBe(n);
    const steps = await s.store.db
      .selectFrom('alert_escalations')
      .select(['alert_id', 'step', 'to_kind', 'target_user', 'log_index'])
      .where('alert_id', 'in', ids)
      .execute();
    // Exactly one first step per alert, to the supervisor on duty in district-1 (read once per unit, used for all).
    expect(steps).toHaveLength(n);
    expect(new Set(steps.map((x) => x.alert_id)).size).toBe(n);
    expect(
      steps.every((x) => x.step === 1 && x.to_kind === 'duty-supervisor' && x.target_user === as.supervisor.id),
    ).toBe(true);
    // The log holds one alert.escalated entry per stored step, at the index the step row names.
    const logged = await s.store.db
      .selectFrom('ledger_payloads')
      .select(['idx', 'payload'])
      .where('type', '=', 'alert.escalated')
      .where(
        'idx',
        'in',
        steps.map((x) => x.log_index!),
      )
      .execute();
    expect(logged).toHaveLength(n);
    // One sweep escalated them in deadline order: log indexes rise with the alerts' deadlines.
    const due = new Map(rows.map((r) => [r.id, r.ack_due_at!]));
    const byIndex = [...steps].sort((x, y) => x.log_index! - y.log_index!).map((x) => due.get(x.alert_id)!);
    expect(byIndex).toEqual([...byIndex].sort());
  });
});
