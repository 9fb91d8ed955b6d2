import { HUMAN_RIGHTS_V1 } from '../../src/registry/assessment/human-rights';
import { questionsFor } from '../../src/registry/legal-classification';

export const QUESTIONNAIRE = HUMAN_RIGHTS_V1.id;

/** A complete record for a patrol-guidance system (every required field filled). */
export function completeRecord() {
  return {
    purpose: 'Forecast where citizen-reported burglary is likely next week to plan patrols',
    intendedUse: 'Advisory patrol missions reviewed by a supervisor',
    prohibitedUses: ['Sole basis for a stop, search or arrest', 'Targeting individuals'],
    legalBasis: [{ title: 'Police Duties Act art. 2', url: 'https://law.example.org/police-duties#2' }],
    deployingUnit: 'District 1 patrol',
    provider: { name: 'Counterweight (in-house)', procurementRoute: 'open source, no procurement' },
    supervisorId: 'user-supervisor-1',
    // A registered source (config/sources, registered by activeSystem) allowed for the declared use.
    dataSources: [
      {
        name: 'Calls for service',
        provenance: 'CAD system exports',
        legalBasis: 'Police records act',
        consent: 'not applicable (public task)',
        sourceId: 'nij-portland',
      },
    ],
    usePurpose: 'crime-analysis',
    personalData: { categories: ['incident locations'], retentionDays: 730 },
    model: {
      method: 'grid ETAS',
      trainingData: 'citizen-reported incidents 2012-2017',
      evaluation: 'rolling-origin PAI',
      limitations: ['date-only timestamps'],
    },
    humanOversight: 'A supervisor approves every mission plan',
    notificationAndContest: 'Public register and complaint form',
    externalSharing: ['none'],
    training: { course: 'Advisory AI in patrol', validityDays: 365 },
    monitoringPlan: 'Weekly disparity and drift monitors with automatic pause',
    outputSchema: {
      kinds: ['patrol-mission', 'cctv-detection'],
      fields: { cell: 'string', risk: 'number', note: 'string' },
      required: ['risk'],
    },
  };
}

/** Counterweight's own forecaster: its alerts are patrol missions with the mission output contract. */
export function forecasterRecord() {
  return {
    ...completeRecord(),
    purpose: 'Forecast where citizen-reported crime is likely in the next shift and propose patrol missions',
    usePurpose: 'patrol-forecasting',
    outputSchema: {
      kinds: ['patrol-mission'],
      fields: { missionId: 'string', forecastRunId: 'string', shift: 'object', cells: 'array', tactics: 'array' },
      required: ['missionId', 'cells'],
    },
  };
}

type Q = (typeof HUMAN_RIGHTS_V1)['sections'][number]['questions'][number];
const heaviest = (q: Q) => q.options.reduce((x, y) => (y.weight > x.weight ? y : x)).value;
const lightest = (q: Q) => q.options.reduce((x, y) => (y.weight < x.weight ? y : x)).value;

/** One answer per question: `high` picks the heaviest option (all of them for a multiple choice), else the lightest (none). */
function answer(q: Q, high: boolean): unknown {
  if (q.type === 'text') return 'n/a';
  if (q.type === 'multiple') return high ? q.options.filter((o) => o.weight > 0).map((o) => o.value) : [];
  return high ? heaviest(q) : lightest(q);
}

/** Every question answered with its highest-impact option and no mitigation. */
export function maximalAnswers(): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  for (const q of HUMAN_RIGHTS_V1.sections.flatMap((s) => s.questions)) a[q.id] = answer(q, q.scoring !== 'mitigation');
  return a;
}

/** Every question answered with its lowest-impact option and full mitigation. */
export function minimalAnswers(): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  for (const q of HUMAN_RIGHTS_V1.sections.flatMap((s) => s.questions)) a[q.id] = answer(q, q.scoring === 'mitigation');
  return a;
}

/**
 * Time travel for tests: move a version's consultation back by `days` (its opening transition and its
 * end), as if the period had been opened that long ago. Length held stays the same.
 */
export async function backdateConsultation(
  store: import('../../src/store/db').Store,
  systemId: string,
  version: number,
  days: number,
) {
  const shift = (iso: string) => new Date(Date.parse(iso) - days * 86_400_000).toISOString();
  const v = await store.db
    .selectFrom('system_versions')
    .select('consultation_ends_at')
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  await store.db
    .updateTable('system_versions')
    .set({ consultation_ends_at: shift(v.consultation_ends_at!) })
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .execute();
  const opened = await store.db
    .selectFrom('system_transitions')
    .select(['id', 'at'])
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .where('to_state', '=', 'consultation')
    .execute();
  for (const t of opened)
    await store.db
      .updateTable('system_transitions')
      .set({ at: shift(t.at) })
      .where('id', '=', t.id)
      .execute();
}

/** Answers to every classification question for the record's declared kinds: `no`, except the ids in `yes`. */
export function classificationAnswers(record: Record<string, unknown>, yes: string[] = []): Record<string, boolean> {
  return Object.fromEntries(questionsFor(record).map((q) => [q.id, yes.includes(q.id)]));
}

/** A model card as the workspace form sends it (OwnerModelCardSchema): every required field filled in. */
export function ownerModelCard(): Record<string, unknown> {
  return {
    model: { name: 'Vendor detector', version: '2.1', method: 'a convolutional person detector on video frames' },
    intendedUse: 'alerts for an officer to check; never the sole basis of a stop',
    outOfScopeUses: ['identifying people'],
    data: { description: "the vendor's footage of closed sites, 2023-2024" },
    metrics: [{ name: 'precision', value: 0.62, interval: [0.55, 0.69], level: 0.95, dataset: 'validation 2025' }],
    limitations: ['rain and night reduce accuracy'],
  };
}
