import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api';
import { ChoiceBoxes } from '../../components/ChoiceBoxes';
import { ProblemNote } from '../../components/ProblemNote';
import { formatDateTime } from '../../time';
import { Section, useAction, type SourceRow } from './common';

/** What a source may be registered for (the other registered purposes are oversight's and the courts'). */
export const SOURCE_PURPOSES = [
  'crime-analysis',
  'patrol-forecasting',
  'alert-review',
  'fairness-audit',
  'public-statistics',
  'research',
  'immigration-control',
  'identity-verification',
  'other',
];

interface Proposal {
  id: number;
  sourceId: string;
  adds: string[];
  purposes: string[];
  legalBasis: string;
  proposedBy: string;
  proposedByName: string;
  proposedAt: string;
}

const EMPTY = {
  id: '',
  name: '',
  provenance: '',
  collectingBody: '',
  legalBasis: '',
  consentStatus: '',
  categories: '',
  retentionDays: '',
  sharing: '',
  purposes: [] as string[],
};
const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

function PurposeBoxes({
  value,
  onChange,
  prefix,
}: {
  value: string[];
  onChange: (v: string[]) => void;
  prefix: string;
}) {
  const { t } = useTranslation();
  return (
    <ChoiceBoxes
      legend={t('admin.sources.purposes')}
      className="purposes"
      choices={SOURCE_PURPOSES}
      value={value}
      onChange={onChange}
      prefix={prefix}
      label={(p) => (
        <>
          <strong>{t(`purpose.${p}`)}</strong>: {t(`purpose.${p}.meaning`)}
        </>
      )}
    />
  );
}

/**
 * The data-source register: what each source may be used for, a new source, and changes of purpose.
 * Narrowing takes effect at once; widening is a proposal with its legal basis that a second person
 * (oversight) approves; the server refuses the proposer's own approval and the page shows why.
 */
export function DataSources({ sources, reload }: { sources: SourceRow[]; reload: () => void }) {
  const { t } = useTranslation();
  const [refreshKey, setRefreshKey] = useState(0);
  const reloadAll = () => {
    reload();
    setRefreshKey((k) => k + 1);
  };
  const act = useAction(reloadAll);
  const [f, setF] = useState(EMPTY);
  const [changing, setChanging] = useState<string | null>(null);
  const [change, setChange] = useState({ purposes: [] as string[], legalBasis: '' });
  const current = sources.find((s) => s.id === changing);
  const adds = current ? change.purposes.filter((p) => !current.purposes.includes(p)) : [];
  const purposeList = (ps: string[]) => ps.map((p) => t(`purpose.${p}`)).join(', ');

  const register = () =>
    act.run(
      async () => {
        await api('/api/sources', {
          method: 'POST',
          body: JSON.stringify({
            id: f.id.trim(),
            name: f.name.trim(),
            provenance: f.provenance.trim(),
            collectingBody: f.collectingBody.trim(),
            legalBasis: f.legalBasis.trim(),
            consentStatus: f.consentStatus.trim(),
            personalDataCategories: lines(f.categories),
            purposes: f.purposes,
            retentionDays: Number(f.retentionDays),
            sharingAgreements: lines(f.sharing),
          }),
        });
        setF(EMPTY);
      },
      t('admin.sources.registered', { id: f.id.trim() }),
    );

  const saveChange = () => {
    if (!current) return;
    // The record as registered, without what the list adds (version, time, log entry).
    const { version: _v, registeredAt: _r, logIndex: _l, ...record } = current as SourceRow & { logIndex?: number };
    const next = { ...record, purposes: change.purposes };
    return act.run(
      async () => {
        if (adds.length)
          await api('/api/sources/proposals', {
            method: 'POST',
            body: JSON.stringify({ record: next, legalBasis: change.legalBasis }),
          });
        else await api('/api/sources', { method: 'POST', body: JSON.stringify(next) });
        setChanging(null);
      },
      adds.length ? t('admin.sources.proposedDone') : t('admin.sources.narrowedDone'),
    );
  };

  return (
    <Section id="data-sources" title={t('admin.sources.title')}>
      <p className="note">{t('admin.sources.help')}</p>
      <table className="register" data-testid="sources">
        <thead>
          <tr>
            <th>{t('admin.sources.id')}</th>
            <th>{t('admin.sources.name')}</th>
            <th>{t('admin.sources.purposes')}</th>
            <th>{t('admin.sources.version')}</th>
            <th>
              <span className="visually-hidden">{t('admin.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.id} data-source={s.id}>
              <td translate="no">{s.id}</td>
              <td translate="no">{s.name}</td>
              <td>{purposeList([...s.purposes, ...s.additionalBases.map((b) => b.purpose)])}</td>
              <td>
                {s.version} · {formatDateTime(s.registeredAt)}
              </td>
              <td>
                <button
                  name={`change-purposes-${s.id}`}
                  onClick={() => {
                    setChanging(s.id);
                    setChange({ purposes: [...s.purposes], legalBasis: '' });
                  }}
                >
                  {t('admin.sources.changePurposes')}
                </button>
              </td>
            </tr>
          ))}
          {sources.length === 0 && (
            <tr>
              <td colSpan={5}>{t('admin.sources.none')}</td>
            </tr>
          )}
        </tbody>
      </table>

      {current && (
        <div className="panel" data-testid="change-source">
          <h3>{t('admin.sources.changeTitle', { id: current.id })}</h3>
          <PurposeBoxes
            value={change.purposes}
            onChange={(purposes) => setChange({ ...change, purposes })}
            prefix="change-purpose"
          />
          {adds.length > 0 && (
            <>
              <p className="note">{t('admin.sources.wideningNote', { purposes: purposeList(adds) })}</p>
              <label>
                {t('admin.sources.wideningBasis')}
                <textarea
                  name="change-legal-basis"
                  value={change.legalBasis}
                  onChange={(e) => setChange({ ...change, legalBasis: e.target.value })}
                />
              </label>
            </>
          )}
          <button name="propose-change" onClick={saveChange}>
            {adds.length ? t('admin.sources.propose') : t('admin.sources.saveNarrowing')}
          </button>
        </div>
      )}

      <SourceProposals act={act} refreshKey={refreshKey} />

      <div className="panel">
        <h3>{t('admin.sources.new')}</h3>
        <label>
          {t('admin.sources.id')}
          <input name="source-id" value={f.id} onChange={(e) => setF({ ...f, id: e.target.value })} />
        </label>
        <p className="note">{t('admin.sources.idHelp')}</p>
        <label>
          {t('admin.sources.name')}
          <input name="source-name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
        </label>
        <label>
          {t('admin.sources.provenance')}
          <textarea
            name="source-provenance"
            value={f.provenance}
            onChange={(e) => setF({ ...f, provenance: e.target.value })}
          />
        </label>
        <label>
          {t('admin.sources.collectingBody')}
          <input
            name="source-collecting-body"
            value={f.collectingBody}
            onChange={(e) => setF({ ...f, collectingBody: e.target.value })}
          />
        </label>
        <label>
          {t('admin.sources.legalBasis')}
          <textarea
            name="source-legal-basis"
            value={f.legalBasis}
            onChange={(e) => setF({ ...f, legalBasis: e.target.value })}
          />
        </label>
        <label>
          {t('admin.sources.consent')}
          <input
            name="source-consent"
            value={f.consentStatus}
            onChange={(e) => setF({ ...f, consentStatus: e.target.value })}
          />
        </label>
        <label>
          {t('admin.sources.categories')}
          <textarea
            name="source-categories"
            value={f.categories}
            onChange={(e) => setF({ ...f, categories: e.target.value })}
          />
        </label>
        <label>
          {t('admin.sources.retention')}
          <input
            name="source-retention"
            type="number"
            min={1}
            value={f.retentionDays}
            onChange={(e) => setF({ ...f, retentionDays: e.target.value })}
          />
        </label>
        <label>
          {t('admin.sources.sharing')}
          <textarea name="source-sharing" value={f.sharing} onChange={(e) => setF({ ...f, sharing: e.target.value })} />
        </label>
        <PurposeBoxes value={f.purposes} onChange={(purposes) => setF({ ...f, purposes })} prefix="source-purpose" />
        <button name="register-source" onClick={register}>
          {t('admin.sources.register')}
        </button>
      </div>
      {act.done && (
        <p className="note" role="status" data-testid="sources-done">
          {act.done}
        </p>
      )}
      <ProblemNote error={act.error} testId="sources-error" />
    </Section>
  );
}

/**
 * Purpose widenings waiting for a second person, with Approve / Refuse for oversight (the server refuses
 * the proposer's own decision). On the Admin page (beside the sources) and on the Oversight page, where
 * the people who decide work; `act` shows the outcome where the caller wants it.
 */
export function SourceProposals({
  act: shared,
  refreshKey = 0,
}: {
  act?: ReturnType<typeof useAction>;
  refreshKey?: number;
}) {
  const { t } = useTranslation();
  const [proposals, setProposals] = useState<Proposal[]>([]);
  const [me, setMe] = useState<Me | null>(null);
  const load = () => void api<Proposal[]>('/api/sources/proposals').then(setProposals, () => undefined);
  const own = useAction(load);
  const act = shared ?? own;
  useEffect(load, [refreshKey]);
  useEffect(() => void api<Me>('/api/auth/me').then(setMe, () => undefined), []);
  const purposeList = (ps: string[]) => ps.map((p) => t(`purpose.${p}`)).join(', ');
  return (
    <>
      {proposals.length > 0 && (
        <div className="panel" data-testid="source-proposals">
          <h3>{t('admin.sources.pending')}</h3>
          <ul>
            {proposals.map((p) => (
              <li key={p.id} data-proposal={p.id}>
                <p>
                  {t('admin.sources.proposalLine', {
                    id: p.sourceId,
                    purposes: purposeList(p.adds),
                    who: p.proposedByName,
                    when: formatDateTime(p.proposedAt),
                  })}
                </p>
                <p className="note">
                  {t('admin.sources.basis')}: <span translate="no">{p.legalBasis}</span>
                </p>
                <p className="note">{t('admin.sources.waiting')}</p>
                {me?.roles.includes('oversight') && (
                  <div className="actions">
                    <button
                      name={`approve-proposal-${p.id}`}
                      onClick={() =>
                        act.run(
                          () =>
                            api(`/api/sources/proposals/${p.id}/decision`, {
                              method: 'POST',
                              body: JSON.stringify({ approve: true }),
                            }),
                          t('admin.sources.approvedDone'),
                        )
                      }
                    >
                      {t('admin.sources.approve')}
                    </button>
                    <button
                      name={`refuse-proposal-${p.id}`}
                      onClick={() =>
                        act.run(
                          () =>
                            api(`/api/sources/proposals/${p.id}/decision`, {
                              method: 'POST',
                              body: JSON.stringify({ approve: false }),
                            }),
                          t('admin.sources.refusedDone'),
                        )
                      }
                    >
                      {t('admin.sources.refuse')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}

      {!shared && proposals.length === 0 && <p className="note">{t('oversight.proposalsNone')}</p>}
      {!shared && own.done && (
        <p className="note" role="status" data-testid="proposals-done">
          {own.done}
        </p>
      )}
      {!shared && <ProblemNote error={own.error} testId="proposals-error" />}
    </>
  );
}
