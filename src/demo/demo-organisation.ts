/**
 * The demo's example organisation (issue 17 item 6): on the first start with a demo, after its public data,
 * an agency that is already working, so a newcomer can walk every role's job at once. Everything is done
 * the way a real agency does it: through the HTTP API (Fastify's inject, so the same routes, roles,
 * services and gates), signed in as the demo's people, and by the vendor through its own API key. Nothing
 * is written around the services, so every step is in the transparency log like real work.
 *
 * What it makes (names marked "[Demo]" / "[데모]"): one person per role with a random password, returned
 * once to the caller (the CLI prints it; it is never logged or stored in plain text); Counterweight's patrol
 * forecaster registered, assessed (approved by oversight, not the owner), stress-tested, audited and live;
 * a vendor CCTV detector under public consultation; a second vendor CCTV system live with its API key,
 * whose alerts wait for the officer on shift; published audits; statistics releases within the budget.
 */
import { randomBytes } from 'node:crypto';
import { createUser } from '../accounts/accounts';
import { StateError } from '../domain/errors';
import { msg, render } from '../domain/messages';
import type { Ledger } from '../ledger-service/ledger';
import { HUMAN_RIGHTS_V1 } from '../registry/assessment/human-rights';
import { questionsFor } from '../registry/legal-classification';
import type { App } from '../server/context';
import type { Store } from '../store/db';
import { getSetting, setSetting } from '../store/settings';
import { DEMO_ORGANISATIONS, type DemoOrganisation } from './demo-texts';

/** The people's roles: one account each (two for oversight: holds and source changes need a second person). */
export const DEMO_ROLES = [
  'admin',
  'analyst',
  'supervisor',
  'officer',
  'system-owner',
  'oversight',
  'auditor',
] as const;

export const DEMO_ACTOR = 'system:counterweight-demo';
/** Settings marker: the organisation is complete (the data's own marker is demo.loaded). */
const MARKER = 'demo.organisation';

export interface DemoPerson {
  username: string;
  displayName: string;
  roles: string[];
  unit: string | null;
  password: string;
}
export interface DemoAccounts {
  demo: string;
  unit: string;
  people: DemoPerson[];
  /** The live vendor system's API key (integration role), shown once like the passwords. */
  vendorKey: string;
  systems: { forecaster: string; consultation: string; vendor: string };
}

/** A password a person can type and zxcvbn scores 4: 18 random base64url characters (108 bits). */
const newPassword = () => randomBytes(14).toString('base64url').slice(0, 18);

interface Session {
  cookie: string;
  csrf: string;
  id: string;
}

/**
 * Load the organisation once (after the demo data, under startUp's first-start lock). Returns the accounts
 * with their passwords, or undefined if it was already loaded. A step the API refuses stops the load with
 * the step and the server's answer (demo.stepFailed).
 */
export async function loadDemoOrganisation(
  app: App,
  store: Store,
  ledger: Ledger,
  demo: string,
): Promise<DemoAccounts | undefined> {
  if (await getSetting(store.db, MARKER)) return undefined;
  const org = DEMO_ORGANISATIONS[demo];
  if (!org) return undefined;
  const api = new DemoApi(app);

  // People. The demo administrator is created as the first admin is; the others by that administrator.
  const people: DemoPerson[] = org.people.map((p) => ({
    ...p,
    unit: p.inUnit ? org.unit : null,
    password: newPassword(),
  }));
  const admin = people.find((p) => p.roles.includes('admin'))!;
  await createUser(ledger, DEMO_ACTOR, {
    username: admin.username,
    password: admin.password,
    roles: admin.roles,
    displayName: admin.displayName,
    unit: admin.unit,
  });
  const as: Record<string, Session> = {};
  const signIn = async (role: string) => {
    const p = people.find((x) => x.roles.includes(role))!;
    as[role] = await api.signIn(p.username, p.password);
  };
  await signIn('admin');
  for (const p of people) {
    if (p === admin) continue;
    await api.call(
      as.admin,
      'POST',
      '/api/users',
      { username: p.username, password: p.password, displayName: p.displayName, roles: p.roles, unit: p.unit },
      `create ${p.username}`,
    );
  }
  for (const role of ['system-owner', 'oversight', 'supervisor', ...(org.forecast ? ['analyst'] : [])])
    await signIn(role);
  const officerId = await api.userId(as.admin, people.find((p) => p.roles.includes('officer'))!.username);

  // The camera network the vendor systems read, in the source register (the sources the forecaster reads are bundled).
  await api.call(as.admin, 'POST', '/api/sources', org.cctvSource, 'register the CCTV source');

  // Counterweight's own patrol forecaster: assessed, consulted, stress-tested, approved by oversight, live, named.
  // Without incident points (a demo of district statistics only) its stress test has no citizen-reported
  // victimization to hold exposure against and refuses, as it would for an agency: it waits there, assessed.
  const forecaster = org.forecast
    ? await api.walkToLive(as, org.forecaster, true)
    : await api.walkToAssessed(as, org.forecaster);
  if (org.forecast)
    await api.call(as.admin, 'PUT', '/api/forecast/system', { systemId: forecaster }, 'name the live forecaster');

  // The vendor's live intrusion detector and its API key; the vendor's loitering detector under consultation.
  const vendor = await api.walkToLive(as, org.vendorLive, false);
  const key = (await api.call(
    as.admin,
    'POST',
    '/api/api-keys',
    { name: org.vendorKeyName, roles: ['integration'], systemId: vendor },
    'create the vendor key',
  )) as { key: string };
  const consultation = await api.register(as, org.consultation);
  await api.call(
    as['system-owner'],
    'POST',
    `/api/systems/${consultation}/versions/1/transition`,
    { to: 'consultation', reason: org.consultation.consultationReason, consultationDays: 30 },
    'open the consultation',
  );

  // The unit at work: supervisor on duty, officer on shift and trained, from an hour ago for 30 days.
  const span = {
    startsAt: new Date(Date.now() - 3_600_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
  await api.call(
    as.supervisor,
    'POST',
    '/api/duty',
    { unit: org.unit, supervisorId: as.supervisor.id, ...span },
    'put the supervisor on duty',
  );
  await api.call(
    as.supervisor,
    'POST',
    '/api/shifts',
    { unit: org.unit, userId: officerId, ...span },
    'roster the officer',
  );
  for (const systemId of [forecaster, vendor]) {
    await api.call(
      as.supervisor,
      'POST',
      '/api/training',
      {
        userId: officerId,
        systemId,
        course: org.trainingCourse,
        completedAt: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 19) + 'Z',
        validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 19) + 'Z',
      },
      "record the officer's training",
    );
  }

  // The vendor posts detections as it would: its key, its own track references (pseudonymised on intake).
  for (const [i, a] of org.alerts.entries()) {
    await api.call(
      { bearer: key.key },
      'POST',
      `/api/systems/${vendor}/alerts`,
      {
        idempotencyKey: `demo-alert-${i + 1}-${randomBytes(4).toString('hex')}`,
        kind: 'cctv-detection',
        modelVersion: '1',
        unit: org.unit,
        occurredAt: new Date(Date.now() - (i + 1) * 7 * 60_000).toISOString().slice(0, 19) + 'Z',
        place: a.place,
        subjectRef: `track:${randomBytes(9).toString('base64url')}`,
        output: a.output,
        confidence: a.confidence,
        explanation: a.explanation,
        ttlMinutes: 7 * 24 * 60,
      },
      'post a vendor alert',
    );
  }

  // Patrol guidance (where there are incidents): a forecast, missions approved by the supervisor and released
  // as alerts for review, and oversight's place audit of them, published.
  const audits: number[] = [];
  if (org.forecast) {
    const f = org.forecast;
    const fc = (await api.call(
      as.analyst,
      'POST',
      '/api/forecasts',
      {
        asOf: f.asOf,
        window: '7d',
        cell: f.cell,
        hotspotArea: f.hotspotArea,
        maxArea: f.maxArea,
        model: f.model,
        seed: 1,
      },
      'run a forecast',
    )) as { id: string };
    for (const shift of f.shifts) {
      const m = (await api.call(
        as.analyst,
        'POST',
        '/api/missions',
        {
          forecastId: fc.id,
          unit: org.unit,
          shiftStart: shift[0],
          shiftEnd: shift[1],
          budget: { cells: f.cells },
          fairnessBound: 1.25,
          seed: 1,
        },
        'propose missions',
      )) as { id: string };
      await api.call(
        as.supervisor,
        'POST',
        `/api/missions/${m.id}/decision`,
        { decision: 'approve', reason: f.approvalReason },
        'approve a mission',
      );
    }
    const place = (await api.call(
      as.oversight,
      'POST',
      `/api/systems/${forecaster}/versions/1/place-audit`,
      { from: f.auditPeriod[0], to: f.auditPeriod[1], exposure: 'planned' },
      'run the place audit',
    )) as { id: number };
    audits.push(place.id);
  }
  // The feedback-loop stress test run before approval is an audit too: oversight publishes it.
  const stress = (
    await store.db
      .selectFrom('audits')
      .select('id')
      .where('system_id', '=', forecaster)
      .where('kind', '=', 'forecaster-stress')
      .execute()
  ).map((r) => Number(r.id));
  for (const id of [...stress, ...audits])
    await api.call(as.oversight, 'POST', `/api/audits/${id}/publish`, undefined, 'publish an audit');

  // Public statistics within the privacy budget.
  for (const r of org.releases)
    await api.call(as.oversight, 'POST', '/api/statistics/releases', r, 'publish a statistics release');

  for (const s of Object.values(as)) await api.call(s, 'POST', '/api/auth/logout', undefined, 'sign out');
  await setSetting(store.db, MARKER, new Date().toISOString());
  return { demo, unit: org.unit, people, vendorKey: key.key, systems: { forecaster, consultation, vendor } };
}

type Caller = Session | { bearer: string };

/** The demo's hands: HTTP calls into the app as a signed-in person or an API key; any refusal stops the load. */
class DemoApi {
  constructor(private readonly app: App) {}

  async signIn(username: string, password: string): Promise<Session> {
    const r = await this.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (r.statusCode !== 200) throw this.failed(`sign in as ${username}`, r.statusCode, r.body);
    const cookie = r.cookies.find((c) => c.name === 'cw_session')!;
    return { cookie: `cw_session=${cookie.value}`, csrf: r.json().csrfToken, id: r.json().id };
  }

  async call(
    who: Caller,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload: unknown,
    step: string,
  ): Promise<unknown> {
    const headers: Record<string, string> =
      'bearer' in who ? { authorization: `Bearer ${who.bearer}` } : { cookie: who.cookie, 'x-csrf-token': who.csrf };
    const r = await this.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (r.statusCode >= 300) throw this.failed(step, r.statusCode, r.body);
    return r.body ? JSON.parse(r.body) : null;
  }

  async userId(admin: Session, username: string): Promise<string> {
    const users = (await this.call(admin, 'GET', '/api/users', undefined, 'list people')) as {
      id: string;
      username: string;
    }[];
    return users.find((u) => u.username === username)!.id;
  }

  async register(as: Record<string, Session>, s: DemoOrganisation['forecaster']): Promise<string> {
    const owner = as['system-owner'];
    const { systemId } = (await this.call(
      owner,
      'POST',
      '/api/systems',
      { name: s.name, record: s.record },
      `register ${s.name}`,
    )) as { systemId: string };
    const base = `/api/systems/${systemId}/versions/1`;
    const answers = Object.fromEntries(questionsFor(s.record).map((q) => [q.id, s.classificationYes.includes(q.id)]));
    await this.call(owner, 'PUT', `${base}/classification`, { answers }, 'answer the legal classification');
    await this.call(
      owner,
      'POST',
      `${base}/assessments`,
      { questionnaire: HUMAN_RIGHTS_V1.id, answers: s.assessment },
      'submit the impact assessment',
    );
    return systemId;
  }

  /** Owner registers and assesses; oversight confirms, approves, stress-tests a forecaster; owner publishes the card and goes live. */
  async walkToLive(
    as: Record<string, Session>,
    s: DemoOrganisation['forecaster'],
    forecaster: boolean,
  ): Promise<string> {
    const systemId = await this.walkToAssessed(as, s);
    const base = `/api/systems/${systemId}/versions/1`;
    const owner = as['system-owner'];
    const oversight = as.oversight;
    if (forecaster) await this.call(oversight, 'POST', `${base}/stress-test`, {}, 'run the feedback-loop stress test');
    await this.call(
      oversight,
      'POST',
      `${base}/transition`,
      { to: 'approved', reason: s.approvalReason },
      'approve the system',
    );
    await this.call(owner, 'PUT', `${base}/model-card`, s.modelCard, 'publish the model card');
    await this.call(owner, 'POST', `${base}/transition`, { to: 'active', reason: s.goLiveReason }, 'go live');
    return systemId;
  }

  /** Owner registers and opens the consultation; oversight confirms the classification and approves the assessment. */
  async walkToAssessed(as: Record<string, Session>, s: DemoOrganisation['forecaster']): Promise<string> {
    const systemId = await this.register(as, s);
    const base = `/api/systems/${systemId}/versions/1`;
    const owner = as['system-owner'];
    const oversight = as.oversight;
    // The level the server scored decides the minimum consultation (0 days only at level I).
    await this.call(
      owner,
      'POST',
      `${base}/transition`,
      { to: 'consultation', reason: s.consultationReason, consultationDays: 0 },
      'open the consultation',
    );
    await this.call(
      oversight,
      'POST',
      `${base}/classification/confirmation`,
      { reason: s.classificationReason },
      'confirm the legal classification',
    );
    const a = (await this.call(
      oversight,
      'GET',
      `/api/systems/${systemId}/workspace`,
      undefined,
      'read the workspace',
    )) as { assessment: { id: string } };
    await this.call(
      oversight,
      'POST',
      `/api/assessments/${a.assessment.id}/decision`,
      { decision: 'approved', reason: s.approvalReason },
      'approve the assessment',
    );
    return systemId;
  }

  private failed(step: string, status: number, body: string) {
    let detail = body.slice(0, 500);
    try {
      const p = JSON.parse(body) as { detail?: string; title?: string; errors?: unknown[] };
      detail = [p.detail ?? p.title, p.errors ? JSON.stringify(p.errors).slice(0, 400) : ''].filter(Boolean).join(' ');
    } catch {
      /* not JSON: the body as it is */
    }
    return new StateError(msg('demo.stepFailed', { step, status, detail }));
  }
}

/** What the first start prints (to the console only, never to the log): who can sign in, and the vendor's key. In the demo's language. */
export function demoAccountsText(a: DemoAccounts): string {
  const lang = a.demo === 'seoul' ? 'ko' : 'en';
  const lines = [render(msg('demo.accountsHeading'), lang)];
  for (const p of a.people)
    lines.push(
      render(msg('demo.accountLine', { username: p.username, roles: p.roles.join(', '), password: p.password }), lang),
    );
  lines.push(render(msg('demo.vendorKeyLine', { systemId: a.systems.vendor, key: a.vendorKey }), lang));
  return `${lines.join('\n')}\n`;
}
