import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';
import { RunProgress, watchRun, type RunView } from '../../components/RunProgress';
import { navigate } from '../../router';
import { csvHeader, type SystemRow } from './shared';

interface Source {
  id: string;
  name: string;
  purposes: string[];
  additionalBases?: { purpose: string }[];
}
interface Policy {
  policyVersion: string;
  rule: string;
  metrics: string[];
  reference: { mode: 'largest' | 'best' | 'named'; group?: string | Record<string, string> };
  band: [number, number];
  minGroupSize: number;
}
interface Finding {
  attributes: string[];
  group: string;
  metric: string;
  ratio: number | null;
  reference: string | null;
  band: [number, number];
}
interface AuditResult {
  id: number;
  passed: boolean;
  failures: string[];
  findings?: Finding[];
  countsForGate: boolean;
  informative: string[];
}

/** SHA-256 of the bytes the upload will send (the text re-encoded as UTF-8, as the server hashes it). */
async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const allowsAudit = (s: Source) =>
  s.purposes.includes('fairness-audit') || (s.additionalBases ?? []).some((b) => b.purpose === 'fairness-audit');

/**
 * A bias audit of one system version, from a registered data source (the dataset is registered with the
 * file's SHA-256 first, so the audit counts for the gate) or from a file alone (informative only). The
 * metrics, reference group and band are the policy's, shown read-only with their meaning.
 */
export function AuditForm({ systems }: { systems: SystemRow[] }) {
  const { t } = useTranslation();
  const [systemId, setSystemId] = useState('');
  const [sources, setSources] = useState<Source[]>([]);
  const [sourceId, setSourceId] = useState('');
  const [dataset, setDataset] = useState({ periodStart: '', periodEnd: '', population: '' });
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [file, setFile] = useState<{ name: string; text: string; sha256: string } | null>(null);
  const [cols, setCols] = useState({
    predicted: '',
    positive: '',
    label: '',
    labelPositive: '1',
    groups: [] as string[],
    reference: '',
  });
  const [progress, setProgress] = useState<string | null>(null);
  const [result, setResult] = useState<AuditResult | null>(null);
  const [job, setJob] = useState<RunView | null>(null);
  const [published, setPublished] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api<Source[]>('/api/sources').then(setSources).catch(setError), []);
  const sys = systems.find((s) => s.id === (systemId || systems[0]?.id));
  useEffect(() => {
    setPolicy(null);
    if (sys)
      void api<Policy>(`/api/systems/${sys.id}/versions/${sys.version}/audit-policy`).then(setPolicy).catch(setError);
  }, [sys?.id, sys?.version]);
  const header = file ? csvHeader(file.text) : [];
  const run = async () => {
    setError(null);
    setResult(null);
    setPublished(false);
    try {
      if (!sys || !file) throw new Error(t('oversight.needFile'));
      const q = new URLSearchParams({
        predictedColumn: cols.predicted,
        positiveValues: cols.positive,
        labelColumn: cols.label,
        labelPositive: cols.labelPositive,
        groupColumns: cols.groups.join(','),
      });
      const base = `/api/systems/${sys.id}/versions/${sys.version}`;
      if (sourceId) {
        setProgress(t('oversight.registeringDataset'));
        const ds = await api<{ id: string }>(`${base}/audit-datasets`, {
          method: 'POST',
          body: JSON.stringify({ sourceId, sha256: file.sha256, ...dataset }),
        });
        q.set('datasetId', ds.id);
      } else if (cols.reference) q.set('reference', cols.reference);
      setProgress(t('oversight.uploading', { size: (file.text.length / 1024).toFixed(0) }));
      // The audit runs as a job: its stage and fraction are polled while the POST runs.
      const jobId = crypto.randomUUID();
      q.set('jobId', jobId);
      setJob(null);
      const stop = watchRun(jobId, (v) => {
        setProgress(null);
        setJob(v);
      });
      try {
        setResult(
          await api<AuditResult>(`${base}/audits?${q}`, {
            method: 'POST',
            body: file.text,
            headers: { 'content-type': 'text/csv' },
          }),
        );
      } finally {
        await stop();
      }
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  const pick = (k: 'predicted' | 'label') => (
    <select name={`audit-${k}`} value={cols[k]} onChange={(e) => setCols({ ...cols, [k]: e.target.value })}>
      <option value="" />
      {header.map((h) => (
        <option key={h} value={h}>
          {h}
        </option>
      ))}
    </select>
  );
  const referenceText = (p: Policy) =>
    p.reference.mode === 'named'
      ? t('oversight.policy.refNamed', {
          group:
            typeof p.reference.group === 'string'
              ? p.reference.group
              : Object.values(p.reference.group ?? {}).join(', '),
        })
      : t(`oversight.policy.ref.${p.reference.mode}`);
  return (
    <div className="panel" data-testid="audit-form">
      <h2>{t('oversight.audit')}</h2>
      <p className="note">{t('oversight.auditHelp')}</p>
      <label>
        {t('oversight.system')}
        <select name="audit-system" value={sys?.id ?? ''} onChange={(e) => setSystemId(e.target.value)}>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} · v{s.version} · {t(`state.${s.state}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('oversight.source')}
        <select name="audit-source" value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
          <option value="">{t('oversight.sourceNone')}</option>
          {sources.filter(allowsAudit).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
      </label>
      <p className="note">{sourceId ? t('oversight.sourceHelp') : t('oversight.sourceNoneHelp')}</p>
      {policy && (
        <div data-testid="audit-metrics" className="note">
          <p>{t('oversight.policy.intro', { version: policy.policyVersion })}</p>
          <dl>
            {policy.metrics.map((m) => (
              <div key={m}>
                <dt>
                  {t(`oversight.metric.${m}`)} ({m})
                </dt>
                <dd>{t(`oversight.metricMeaning.${m}`)}</dd>
              </div>
            ))}
          </dl>
          <p>
            {t('oversight.policy.rules', {
              reference: referenceText(policy),
              lo: policy.band[0],
              hi: policy.band[1],
              n: policy.minGroupSize,
            })}
          </p>
        </div>
      )}
      {sourceId && (
        <fieldset>
          <legend>{t('oversight.dataset')}</legend>
          <label>
            {t('oversight.periodStart')}
            <input
              type="date"
              name="audit-period-start"
              value={dataset.periodStart}
              onChange={(e) => setDataset({ ...dataset, periodStart: e.target.value })}
            />
          </label>
          <label>
            {t('oversight.periodEnd')}
            <input
              type="date"
              name="audit-period-end"
              value={dataset.periodEnd}
              onChange={(e) => setDataset({ ...dataset, periodEnd: e.target.value })}
            />
          </label>
          <label>
            {t('oversight.population')}
            <textarea
              name="audit-population"
              rows={2}
              value={dataset.population}
              onChange={(e) => setDataset({ ...dataset, population: e.target.value })}
            />
          </label>
        </fieldset>
      )}
      <label>
        {t('oversight.file')}
        <input
          type="file"
          name="audit-file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            const text = await f.text();
            setFile({ name: f.name, text, sha256: await sha256Hex(text) });
          }}
        />
      </label>
      {file && (
        <p className="note" data-testid="audit-header">
          {t('oversight.columns', { n: header.length, file: file.name })}{' '}
          <span data-testid="audit-sha256" translate="no">
            SHA-256 {file.sha256}
          </span>
        </p>
      )}
      {file && (
        <>
          <label>
            {t('oversight.predicted')}
            {pick('predicted')}
          </label>
          <label>
            {t('oversight.positiveValues')}
            <input
              name="audit-positive"
              value={cols.positive}
              onChange={(e) => setCols({ ...cols, positive: e.target.value })}
            />
          </label>
          <label>
            {t('oversight.label')}
            {pick('label')}
          </label>
          <label>
            {t('oversight.labelPositive')}
            <input
              name="audit-label-positive"
              value={cols.labelPositive}
              onChange={(e) => setCols({ ...cols, labelPositive: e.target.value })}
            />
          </label>
          <fieldset>
            <legend>{t('oversight.groups')}</legend>
            {header.map((h) => (
              <label key={h} className="check">
                <input
                  type="checkbox"
                  name={`audit-group-${h}`}
                  checked={cols.groups.includes(h)}
                  onChange={(e) =>
                    setCols({
                      ...cols,
                      groups: e.target.checked ? [...cols.groups, h] : cols.groups.filter((x) => x !== h),
                    })
                  }
                />
                {h}
              </label>
            ))}
          </fieldset>
          {!sourceId && (
            <label>
              {t('oversight.reference')}
              <input
                name="audit-reference"
                value={cols.reference}
                onChange={(e) => setCols({ ...cols, reference: e.target.value })}
              />
            </label>
          )}
        </>
      )}
      <button name="run-audit" onClick={run} disabled={Boolean(progress)}>
        {t('oversight.runAudit')}
      </button>
      {progress && (
        <p role="status" className="note" data-testid="audit-progress">
          <progress aria-label={progress} /> {progress}
        </p>
      )}
      {job && (
        <div data-testid="audit-run">
          <RunProgress view={job} />
        </div>
      )}
      {result && (
        <div data-testid="audit-result" data-passed={result.passed} data-counts-for-gate={result.countsForGate}>
          <p>
            <strong>{result.passed ? t('audit.passed') : t('audit.failed')}</strong> ·{' '}
            {result.countsForGate ? t('oversight.countsForGate') : t('oversight.informative')}
          </p>
          {(result.findings ?? []).length > 0 && (
            <ul data-testid="audit-findings">
              {result.findings!.map((f, i) => (
                <li key={i}>
                  {t('oversight.finding', {
                    attribute: f.attributes.join(' × '),
                    group: f.group,
                    metric: t(`oversight.metric.${f.metric}`),
                    ratio: f.ratio === null ? '–' : f.ratio.toFixed(2),
                    reference: f.reference ?? t('oversight.referenceGroup'),
                    lo: f.band[0],
                    hi: f.band[1],
                  })}
                </li>
              ))}
            </ul>
          )}
          {(result.failures.length > 0 || result.informative.length > 0) && (
            <details>
              <summary>{t('oversight.technical')}</summary>
              <ul translate="no">
                {[...result.failures, ...result.informative].map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </details>
          )}
          <a
            href={`/audits/${result.id}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/audits/${result.id}`);
            }}
          >
            {t('oversight.readReport')}
          </a>{' '}
          {published ? (
            <span data-testid="audit-published">{t('oversight.published')}</span>
          ) : (
            <button
              name="publish-audit"
              onClick={() =>
                api(`/api/audits/${result.id}/publish`, { method: 'POST' })
                  .then(() => setPublished(true))
                  .catch(setError)
              }
            >
              {t('oversight.publish')}
            </button>
          )}
        </div>
      )}
      <ProblemNote error={error} testId="audit-error" />
    </div>
  );
}
