/**
 * Running a person-level audit for a registered system: read a CSV of decisions and outcomes, audit,
 * store the report with its inputs' hash, the registered dataset it read and the audit policy it was
 * judged against, log it, and (by oversight) publish it to the register. The owner's side never runs
 * or publishes an audit of its own system. The activation gate counts only published audits of the
 * version that conform to the policy (src/registry/audit-policy.ts).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { rowsFromCsv, type AuditRequest } from './audit-rows';
import { personAuditOnThread } from './audit-thread';
import type { Principal } from '../accounts/accounts';
import { InputError, NotFoundError, StateError, zodWhere } from '../domain/errors';
import { msg } from '../domain/messages';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { assertNotOwner, getVersion, systemRef } from '../registry/register';
import { AUDIT_POLICY, auditRuleFor, policyDeviations } from '../registry/audit-policy';
import { getSource, requirePurpose } from '../privacy/sources';
import { nowIso, type Store } from '../store/db';
import { NO_PROGRESS, yieldToOthers, type RunProgress } from '../store/run-jobs';
import type { ReferenceRule } from '../fairness';

export type { AuditRequest };
export { rowsFromCsv };

export const AuditDatasetSchema = z
  .object({
    /** A source in the data-source register that allows the purpose fairness-audit. */
    sourceId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
    /** SHA-256 of the exact file the audit will read (the upload must match it byte for byte). */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    periodEnd: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** Who the data covers (e.g. "everyone scored at pre-trial 2013–2014 in the county, n = 7,214"). */
    population: z.string().trim().min(10).max(2000),
  })
  .strict()
  .refine((d) => d.periodStart <= d.periodEnd, {
    message: 'periodEnd must not be before periodStart',
    path: ['periodEnd'],
  });
export type AuditDataset = z.infer<typeof AuditDatasetSchema>;

/**
 * Register the dataset a bias audit of one system version will read: a registered data source allowed
 * for fairness audits, the file's SHA-256, the period and the population it covers. Never by the owner.
 */
export async function registerAuditDataset(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  raw: unknown,
) {
  const v = await getVersion(store.db, systemId, version);
  assertNotOwner(v, p, msg('audits.ownerCannotRegisterDataset', { systemId }));
  const r = AuditDatasetSchema.safeParse(raw);
  if (!r.success) throw new InputError(msg('audits.datasetInvalid'), zodWhere(r.error.issues, ''));
  const d = r.data;
  await requirePurpose(
    store,
    ledger,
    userRef(p.id),
    d.sourceId,
    'fairness-audit',
    `bias audit of ${systemId} v${version}`,
  );
  const src = (await getSource(store.db, d.sourceId))!;
  const id = `ads-${randomBytes(6).toString('hex')}`;
  const entry = await ledger.append({
    type: 'audit.dataset-registered',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: {
      datasetId: id,
      systemId,
      version,
      sourceVersion: src.version,
      sourceName: src.name,
      provenance: src.provenance,
      ...d,
    },
  });
  await store.db
    .insertInto('audit_datasets')
    .values({
      id,
      system_id: systemId,
      version,
      source_id: d.sourceId,
      source_version: src.version,
      sha256: d.sha256,
      period_start: d.periodStart,
      period_end: d.periodEnd,
      population: d.population,
      registered_by: p.id!,
      registered_at: nowIso(),
      log_index: entry.index,
    })
    .execute();
  return { id, logIndex: entry.index };
}

async function auditDataset(store: Store, systemId: string, version: number, datasetId: string) {
  const d = await store.db
    .selectFrom('audit_datasets')
    .selectAll()
    .where('id', '=', datasetId)
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!d)
    throw new InputError(msg('audits.datasetNotFound', { datasetId, systemId, version }), [
      {
        field: 'datasetId',
        expected: `an audit dataset registered for ${systemId} version ${version}`,
        got: datasetId,
      },
    ]);
  const src = await getSource(store.db, d.source_id);
  return {
    id: d.id,
    sourceId: d.source_id,
    sourceVersion: d.source_version,
    name: src?.name ?? null,
    provenance: src?.provenance ?? null,
    sha256: d.sha256,
    period: { start: d.period_start, end: d.period_end },
    population: d.population,
  };
}

/**
 * Run a person-level audit. Anyone but the owner's side may run it. Whether it counts for the gate is
 * decided here, from policy: the rule for this version (impact level, output kinds) fixes the metrics
 * that must be evaluated, the reference group, the ratio band and the minimum group size; the data must
 * be a dataset registered for this version whose SHA-256 the upload matches. Anything else is stored as
 * an informative audit, with the reasons it does not count.
 */
export async function runAudit(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  csv: string | Uint8Array,
  req: AuditRequest,
  progress: RunProgress = NO_PROGRESS,
) {
  progress.phase('loading', 0, 1, 'reading-rows');
  const v = await getVersion(store.db, systemId, version);
  assertNotOwner(v, p, msg('audits.ownerCannotRun', { systemId }));
  const dataset = req.datasetId ? await auditDataset(store, systemId, version, req.datasetId) : null;
  const rule = await ruleForVersion(store, v.record, systemId, version);
  const reference: ReferenceRule = req.reference ? { mode: 'named', group: req.reference } : rule.reference;
  const informative = [
    ...policyDeviations(rule, { metrics: req.metrics, reference: req.reference ? reference : undefined }),
    ...(dataset ? [] : ['the data is not a dataset registered for this version (datasetId)']),
  ];
  // Computing steps, for the progress bar: the counting pass, each dimension's rates, the disparities.
  let dims = req.groupColumns.length + (req.groupColumns.length > 1 ? 1 : 0);
  // Hashing, reading and auditing the file on a thread of its own (audit-thread.ts): the serving thread stays free.
  const { sha256: sha, report } = await personAuditOnThread(
    csv,
    req,
    {
      attributes: req.groupColumns,
      intersections: req.groupColumns.length > 1,
      reference,
      band: rule.band,
      minGroupSize: rule.minGroupSize,
    },
    {
      onHashed: (got) => {
        if (dataset && dataset.sha256 !== got)
          throw new InputError(
            msg('audits.datasetHashMismatch', { datasetId: dataset.id, got, expected: dataset.sha256 }),
            [{ field: 'body', expected: `the file with SHA-256 ${dataset.sha256}`, got }],
          );
      },
      onRead: () => progress.phase('loading', 1, 1, 'reading-rows'),
      onProgress: (stage, done, total) => {
        if (stage === 'rates') dims = total;
        progress.phase(
          'computing',
          stage === 'counting' ? 1 : stage === 'rates' ? 1 + done : dims + 2,
          dims + 2,
          stage,
        );
      },
    },
  );
  await yieldToOthers();
  progress.phase('storing', 0, 1, 'writing-report');
  const decisive = new Set([...(req.metrics ?? rule.metrics)]);
  // Each failure as data too, so a reader's language can word it (the strings stay for the log and CLI).
  const findings = report.dimensions.flatMap((d) =>
    d.disparities
      .filter((x) => decisive.has(x.metric))
      .flatMap((x) =>
        x.groups
          .filter((g) => g.verdict === 'fail')
          .map((g) => ({
            attributes: d.attributes,
            group: g.group,
            metric: x.metric,
            ratio: g.ratio,
            reference: x.reference,
            band: rule.band,
          })),
      ),
  );
  const failures = findings.map(
    (f) => `${f.attributes.join(' × ')}: ${f.group} ${f.metric} ratio ${f.ratio?.toFixed(2)} vs ${f.reference}`,
  );
  const passed = failures.length === 0;
  const countsForGate = informative.length === 0;
  const policy = {
    version: AUDIT_POLICY.version,
    rule: rule.id,
    metrics: rule.metrics,
    reference: rule.reference,
    band: rule.band,
    minGroupSize: rule.minGroupSize,
    countsForGate,
    informative,
  };
  const full = { kind: 'person-level', request: req, passed, failures, policy, dataset, ...report };
  const entry = await ledger.append({
    type: 'audit.completed',
    actor: userRef(p.id),
    subjects: [systemRef(systemId)],
    payload: {
      systemId,
      version,
      inputsSha256: sha,
      datasetId: dataset?.id ?? null,
      policyVersion: AUDIT_POLICY.version,
      policyRule: rule.id,
      countsForGate,
      passed,
      failures,
      total: report.total,
    },
  });
  const r = await store.db
    .insertInto('audits')
    .values({
      system_id: systemId,
      version,
      kind: 'person-level',
      passed: passed ? 1 : 0,
      report: JSON.stringify(full),
      inputs_sha256: sha,
      run_by: p.id!,
      run_at: nowIso(),
      published: 0,
      log_index: entry.index,
      dataset_id: dataset?.id ?? null,
      policy_version: AUDIT_POLICY.version,
      counts_for_gate: countsForGate ? 1 : 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  progress.phase('storing', 1, 1, 'writing-report');
  return {
    id: r.id,
    passed,
    failures,
    findings,
    logIndex: entry.index,
    countsForGate,
    informative,
    policyVersion: AUDIT_POLICY.version,
    policyRule: rule.id,
  };
}

async function ruleForVersion(store: Store, record: Record<string, unknown>, systemId: string, version: number) {
  const assessment = await store.db
    .selectFrom('assessments')
    .select('level')
    .where('system_id', '=', systemId)
    .where('version', '=', version)
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return auditRuleFor(record, assessment?.level ?? 1);
}

/**
 * What the audit policy fixes for a bias audit of this version (metrics, reference group, ratio band,
 * minimum group size): shown to the auditor before the run, read-only.
 */
export async function auditRuleOf(store: Store, systemId: string, version: number) {
  const v = await getVersion(store.db, systemId, version);
  const rule = await ruleForVersion(store, v.record, systemId, version);
  return {
    policyVersion: AUDIT_POLICY.version,
    rule: rule.id,
    metrics: rule.metrics,
    reference: rule.reference,
    band: rule.band,
    minGroupSize: rule.minGroupSize,
  };
}

/** Publish an audit (oversight, never the owner's side); a published audit is never unpublished. */
export async function publishAudit(store: Store, ledger: Ledger, p: Principal, id: number) {
  const a = await store.db.selectFrom('audits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw new NotFoundError(msg('audits.notFound', { auditId: id }));
  assertNotOwner(
    await getVersion(store.db, a.system_id, a.version),
    p,
    msg('audits.ownerCannotPublish', { systemId: a.system_id }),
  );
  if (a.published) throw new StateError(msg('audits.alreadyPublished', { auditId: id }));
  const at = nowIso();
  const entry = await ledger.append({
    type: 'audit.published',
    actor: userRef(p.id),
    subjects: [systemRef(a.system_id)],
    payload: {
      auditId: id,
      systemId: a.system_id,
      passed: a.passed === 1,
      countsForGate: a.counts_for_gate === 1,
      policyVersion: a.policy_version,
    },
  });
  // Guarded on published = 0: of two concurrent publishers one wins, the other's entry records an attempt.
  await store.db
    .updateTable('audits')
    .set({ published: 1, published_by: p.id, published_at: at })
    .where('id', '=', id)
    .where('published', '=', 0)
    .execute();
  return { logIndex: entry.index };
}

export async function getAudit(store: Store, p: Principal, id: number) {
  const a = await store.db.selectFrom('audits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || (!a.published && !p.roles.includes('oversight')))
    throw new NotFoundError(msg('monitor.noPublishedAudit', { id }));
  return {
    id: a.id,
    systemId: a.system_id,
    version: a.version,
    kind: a.kind,
    passed: a.passed === 1,
    runAt: a.run_at,
    inputsSha256: a.inputs_sha256,
    published: a.published === 1,
    publishedAt: a.published_at,
    logIndex: a.log_index,
    datasetId: a.dataset_id,
    policyVersion: a.policy_version,
    countsForGate: a.counts_for_gate === 1,
    report: JSON.parse(a.report),
  };
}
