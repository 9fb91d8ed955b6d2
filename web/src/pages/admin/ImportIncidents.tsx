import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, findingExpected, problemText, type Finding } from '../../api';
import { ProblemNote } from '../../components/ProblemNote';
import { Section, type SourceRow } from './common';

interface Profile {
  name: string;
  description: string;
  source: string;
  crs: string;
}
interface Job {
  phase: 'queued' | 'reading' | 'publishing' | 'done' | 'failed';
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  rowsPublished: number;
  rowsToPublish: number;
}
interface Result {
  file: string;
  rowsRead: number;
  imported: number;
  duplicates: number;
  errorCount: number;
  source: string;
  errors: Finding[];
}

const POLL_MS = 250;

/** The CLI's row-level report as a table: row, field, what was expected, what was found. */
function FindingsTable({ findings, testId }: { findings: Finding[]; testId: string }) {
  const { t } = useTranslation(); // re-renders the findings on a change of language
  return (
    <table className="register" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('admin.import.row')}</th>
          <th>{t('admin.import.field')}</th>
          <th>{t('admin.import.expected')}</th>
          <th>{t('admin.import.found')}</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((e, i) => (
          <tr key={i}>
            <td>{e.row ?? ''}</td>
            <td translate="no">{e.field ?? ''}</td>
            <td>{findingExpected(e)}</td>
            <td translate="no">{e.got ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Incident import: the CSV goes to POST /api/imports as it is, with an id chosen here so the progress bar
 * can poll GET /api/imports/jobs/:id while the upload runs. All or nothing: a file with a bad row is
 * refused whole (unless bad rows are to be skipped) and its rows are listed as the CLI lists them.
 */
export function ImportIncidents({ sources, reload }: { sources: SourceRow[]; reload: () => void }) {
  const { t, i18n } = useTranslation();
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [profile, setProfile] = useState('');
  const [source, setSource] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    void api<Profile[]>('/api/imports/profiles').then((p) => {
      setProfiles(p);
      setProfile((x) => x || p[0]?.name || '');
    }, setLoadError);
    return () => {
      alive.current = false;
    };
  }, []);
  const chosen = profiles.find((p) => p.name === profile);
  // The profile's own source when it is registered, else what the person picks.
  const sourceId = source || (sources.some((s) => s.id === chosen?.source) ? chosen!.source : (sources[0]?.id ?? ''));

  const start = async () => {
    if (!file) return setError(new Error(t('admin.import.chooseFile')));
    setError(null);
    setResult(null);
    setJob(null);
    setRunning(true);
    const jobId = crypto.randomUUID();
    const poll = async () => {
      try {
        const j = await api<Job>(`/api/imports/jobs/${jobId}`);
        if (alive.current) setJob(j);
      } catch {
        // Not started yet (404) or gone: the next poll or the answer tells.
      }
    };
    const timer = setInterval(() => void poll(), POLL_MS);
    let r: Result | undefined;
    try {
      const q = new URLSearchParams({
        profile,
        source: sourceId,
        fileName: file.name.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^\.+/, '') || 'upload.csv',
        skipInvalid: String(skipInvalid),
        jobId,
      });
      r = await api<Result>(`/api/imports?${q}`, {
        method: 'POST',
        body: file,
        headers: { 'content-type': 'text/csv' },
      });
    } catch (e) {
      if (alive.current) setError(e);
    } finally {
      clearInterval(timer);
      // The job's last state (done: the bar at its end; or failed) before the answer is shown, so the
      // result never appears beside a bar still at an earlier poll's state.
      await poll();
      if (alive.current) {
        if (r) setResult(r);
        setRunning(false);
      }
    }
    if (r) reload();
  };

  // Reading is measured in bytes of the file, publishing (SQLite) in rows written.
  const bar = !job
    ? null
    : job.phase === 'publishing'
      ? { value: job.rowsPublished, max: Math.max(1, job.rowsToPublish) }
      : { value: job.phase === 'done' ? job.totalBytes : job.bytesRead, max: Math.max(1, job.totalBytes) };
  const n = (x: number) => x.toLocaleString(i18n.language);
  const findings = error instanceof ApiError ? error.problem.errors : undefined;

  return (
    <Section id="import-incidents" title={t('admin.import.title')}>
      <p className="note">{t('admin.import.help')}</p>
      <ProblemNote error={loadError} />
      <label>
        {t('admin.import.file')}
        <input
          type="file"
          name="import-file"
          accept=".csv,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setResult(null);
            setError(null);
            setJob(null);
          }}
        />
      </label>
      <label>
        {t('admin.import.profile')}
        <select name="import-profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
          {profiles.map((p) => (
            <option key={p.name} value={p.name}>
              {t(`admin.import.profile.${p.name}`, { defaultValue: p.description })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.import.source')}
        <select name="import-source" value={sourceId} onChange={(e) => setSource(e.target.value)}>
          {sources.map((s) => (
            <option key={s.id} value={s.id} translate="no">
              {s.id} · {s.name}
            </option>
          ))}
        </select>
      </label>
      {sources.length === 0 && <p className="note">{t('admin.import.noSources')}</p>}
      <label className="check">
        <input
          type="checkbox"
          name="import-skip-invalid"
          checked={skipInvalid}
          onChange={(e) => setSkipInvalid(e.target.checked)}
        />
        {t('admin.import.skipInvalid')}
      </label>
      <button name="start-import" onClick={() => void start()} disabled={running || !file || !sourceId}>
        {running ? t('admin.import.running') : t('admin.import.start')}
      </button>
      {bar && job && (
        <div role="status" className="note">
          <progress
            data-testid="import-progress"
            value={bar.value}
            max={bar.max}
            aria-label={t('admin.import.progressLabel')}
          />{' '}
          {t(`admin.import.phase.${job.phase}`, {
            bytes: n(job.bytesRead),
            total: n(job.totalBytes),
            rows: n(job.rowsRead),
            published: n(job.rowsPublished),
            toPublish: n(job.rowsToPublish),
          })}
        </div>
      )}
      {result && (
        <div
          className="note"
          role="status"
          data-testid="import-result"
          data-imported={result.imported}
          data-skipped={result.errorCount}
        >
          <p>
            {t('admin.import.result', {
              file: result.file,
              rows: n(result.rowsRead),
              imported: n(result.imported),
              duplicates: n(result.duplicates),
              skipped: n(result.errorCount),
              source: result.source,
            })}
          </p>
          {result.errors.length > 0 && (
            <>
              <p>{t('admin.import.skippedRows')}</p>
              <FindingsTable findings={result.errors} testId="import-skipped" />
            </>
          )}
        </div>
      )}
      {error !== null && (
        <>
          <div role="alert" className="error" data-testid="import-error">
            {problemText(error, false)}
          </div>
          {findings && findings.length > 0 && <FindingsTable findings={findings} testId="import-errors" />}
        </>
      )}
    </Section>
  );
}
