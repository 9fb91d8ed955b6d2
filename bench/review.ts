/**
 * Review load benchmark: alert intake and decisions over HTTP on loopback, driven by autocannon at a
 * fixed rate, on SQLite. Every 10th request retries an earlier idempotency key, so the run also checks
 * that no alert is lost or duplicated. Prints one JSON object.
 *   npx tsx bench/review.ts [rate=500] [seconds=20]
 */
import autocannon from 'autocannon';
import { createApiKey } from '../src/accounts/accounts';
import { completeRecord, minimalAnswers, QUESTIONNAIRE } from '../test/support/register-fixtures';
import { PASSWORD, startDemoServer } from '../test/support/server';

const rate = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 20);
const s = await startDemoServer({ demo: false });
const as: Record<string, { cookie: string; csrf: string; id: string }> = {};
for (const u of ['system-owner', 'oversight', 'officer', 'supervisor']) {
  const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u, password: PASSWORD } });
  as[u] = { cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`, csrf: r.json().csrfToken, id: r.json().id };
}
const call = (who: string, method: string, url: string, payload?: unknown) => s.app.inject({ method: method as 'POST', url, payload: payload as object, headers: { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf } });
const systemId = (await call('system-owner', 'POST', '/api/systems', { name: 'Bench system', record: completeRecord() })).json().systemId;
const base = `/api/systems/${systemId}/versions/1`;
await call('system-owner', 'POST', `${base}/transition`, { to: 'consultation', reason: 'publish', consultationDays: 0 });
const aid = (await call('system-owner', 'POST', `${base}/assessments`, { questionnaire: QUESTIONNAIRE, answers: minimalAnswers() })).json().id;
await call('oversight', 'POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'bench' });
await call('oversight', 'POST', `${base}/transition`, { to: 'approved', reason: 'bench' });
await call('system-owner', 'PUT', `${base}/model-card`, { method: 'bench' });
await call('system-owner', 'POST', `${base}/transition`, { to: 'active', reason: 'bench' });
await call('supervisor', 'POST', '/api/training', { userId: as.officer.id, systemId, course: 'x', completedAt: '2026-01-01T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' });
const key = (await createApiKey(s.store.db, { name: 'bench', roles: ['integration'], systemId })).key;

let n = 0;
const sentKeys = new Set<string>();
const intake = await autocannon({
  url: `${s.url}/api/systems/${systemId}/alerts`, method: 'POST', connections: 16, overallRate: rate, duration: seconds,
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  requests: [{
    setupRequest: (req, context) => {
      n++;
      // Every 10th request retries an earlier key, as a client would after a timeout.
      const k = n % 10 === 0 && n > 10 ? `bench-${String(n - 7).padStart(8, '0')}` : `bench-${String(n).padStart(8, '0')}`;
      (context as { key?: string }).key = k;
      return { ...req, body: JSON.stringify({ idempotencyKey: k, kind: 'cctv-detection', modelVersion: '1', occurredAt: '2026-11-22T10:00:00Z', unit: 'district-1', output: { risk: 0.5 }, explanation: { summary: 'bench' } }) };
    },
    // Only an acknowledged (2xx) alert must be stored; requests cut off by the end of the run are not.
    onResponse: (status, _body, context) => {
      if (status >= 200 && status < 300) sentKeys.add((context as { key: string }).key);
    },
  }],
});
await s.ledger.drain();
const stored = await s.store.db.selectFrom('alerts').select('idempotency_key').execute();
const storedKeys = new Set(stored.map((r) => r.idempotency_key));
const lost = [...sentKeys].filter((k) => !storedKeys.has(k)).length;

const ids = (await s.store.db.selectFrom('alerts').select('id').execute()).map((r) => r.id);
let i = 0;
const decisions = await autocannon({
  url: s.url, method: 'POST', connections: 8, overallRate: Math.min(rate, ids.length / seconds), duration: Math.min(seconds, 10),
  headers: { cookie: as.officer.cookie, 'x-csrf-token': as.officer.csrf, 'content-type': 'application/json' },
  requests: [{
    setupRequest: (req) => ({ ...req, path: `/api/alerts/${ids[i++ % ids.length]}/decision`, body: JSON.stringify({ outcome: 'not-acted', reasonCode: 'no-activity-found', reasonText: 'nothing seen' }) }),
  }],
});
const decided = await s.store.db.selectFrom('decisions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
await s.close();
const summary = (r: autocannon.Result) => ({
  requests: r.requests.total, rps: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, maxMs: r.latency.max,
  non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
});
console.log(JSON.stringify({
  bench: 'review', database: 'sqlite', targetRate: rate, seconds,
  intake: { ...summary(intake), uniqueKeysAcknowledged: sentKeys.size, alertsStored: storedKeys.size, lost, duplicated: stored.length - storedKeys.size },
  decisions: { ...summary(decisions), decisionsStored: Number(decided.n), note: 'a second decision on the same alert is refused (409): non2xx counts those' },
}, null, 2));
