import { createApiKey } from '../../src/accounts/accounts';
import { registerBundledSources } from '../../src/privacy/sources';
import { isPlaceForecaster } from '../../src/registry/register';
import {
  classificationAnswers,
  completeRecord,
  minimalAnswers,
  ownerModelCard,
  QUESTIONNAIRE,
} from './register-fixtures';
import { PASSWORD, type DemoServer } from './server';

export interface Session {
  cookie: string;
  csrf: string;
  id: string;
}

type Call = (
  who: string,
  method: string,
  url: string,
  payload?: unknown,
) => Promise<{ statusCode: number; body: string }>;

/** The owner answers the classification questions (all "no" unless `yes`), oversight confirms: needed before the assessment is approved. */
export async function confirmClassification(
  call: Call,
  base: string,
  record: Record<string, unknown>,
  yes: string[] = [],
) {
  const a = await call('system-owner', 'PUT', `${base}/classification`, {
    answers: classificationAnswers(record, yes),
  });
  if (a.statusCode !== 200) throw new Error(`could not answer the classification: ${a.body}`);
  const c = await call('oversight', 'POST', `${base}/classification/confirmation`, {
    reason: 'answers checked against the vendor documentation',
  });
  if (c.statusCode !== 204) throw new Error(`could not confirm the classification: ${c.body}`);
}

const sessionsOf = new WeakMap<DemoServer, Record<string, Session>>();

/** Sign in every demo role, register a system, walk it to active, train the officer, put the supervisor on duty and the officer on shift. */
export async function activeSystem(
  s: DemoServer,
  name = 'Vendor CCTV analytics',
  record: Record<string, unknown> = completeRecord(),
) {
  // One sign-in per role and server: several systems in one test stay under the sign-in rate limit.
  const as: Record<string, Session> = sessionsOf.get(s) ?? {};
  for (const u of ['system-owner', 'oversight', 'officer', 'supervisor', 'admin', 'analyst']) {
    if (as[u]) continue;
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
  sessionsOf.set(s, as);
  const call = (who: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({
      method: method as 'POST',
      url,
      payload: payload as object,
      headers: { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf, ...headers },
    });
  await registerBundledSources(s.store, s.ledger); // the sources the fixtures name
  const systemId: string = (await call('system-owner', 'POST', '/api/systems', { name, record })).json().systemId;
  const base = `/api/systems/${systemId}/versions/1`;
  await call('system-owner', 'POST', `${base}/transition`, {
    to: 'consultation',
    reason: 'publish',
    consultationDays: 0,
  });
  await confirmClassification(call, base, record);
  const aid = (
    await call('system-owner', 'POST', `${base}/assessments`, {
      questionnaire: QUESTIONNAIRE,
      answers: minimalAnswers(),
    })
  ).json().id;
  await call('oversight', 'POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'low impact' });
  // A patrol forecaster must pass the feedback-loop stress test before approval.
  if (isPlaceForecaster(record)) await call('oversight', 'POST', `${base}/stress-test`, {});
  await call('oversight', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
  await call('system-owner', 'PUT', `${base}/model-card`, ownerModelCard());
  const live = await call('system-owner', 'POST', `${base}/transition`, { to: 'active', reason: 'live' });
  if (live.statusCode !== 200) throw new Error(`could not activate: ${live.body}`);
  await call('supervisor', 'POST', '/api/training', {
    userId: as.officer.id,
    systemId,
    course: 'Advisory AI',
    completedAt: '2026-01-01T00:00:00Z',
    validUntil: '2030-01-01T00:00:00Z',
  });
  // The supervisor on duty and the officer on shift in district-1 from yesterday for a month.
  const span = {
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
  await call('supervisor', 'POST', '/api/duty', { unit: 'district-1', supervisorId: as.supervisor.id, ...span });
  await call('supervisor', 'POST', '/api/shifts', { unit: 'district-1', userId: as.officer.id, ...span });
  const key = (
    await createApiKey(s.ledger, 'system:test-setup', { name: 'vendor key', roles: ['integration'], systemId })
  ).key;
  const postAlert = (n: number, over: Record<string, unknown> = {}) =>
    s.app.inject({
      method: 'POST',
      url: `/api/systems/${systemId}/alerts`,
      headers: { authorization: `Bearer ${key}` },
      payload: {
        idempotencyKey: `alert-key-${String(n).padStart(6, '0')}`,
        kind: 'cctv-detection',
        modelVersion: '1',
        occurredAt: '2026-11-22T10:00:00Z',
        unit: 'district-1',
        output: { risk: 0.7 },
        explanation: { summary: 'pattern', factors: [] },
        ...over,
      },
    });
  return { as, call, systemId, key, postAlert };
}
