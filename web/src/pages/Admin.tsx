import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ChoiceBoxes } from '../components/ChoiceBoxes';
import { ProblemNote } from '../components/ProblemNote';
import { navigate } from '../router';
import { formatDateTime } from '../time';
import { AreaLayers } from './admin/AreaLayers';
import { Section, useAction, type LayerRow, type SourceRow } from './admin/common';
import { DataSources } from './admin/DataSources';
import { ImportIncidents } from './admin/ImportIncidents';

interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  unit: string | null;
  disabled: boolean;
  createdAt: string;
  lockedUntil: string | null;
  failedSignIns: number;
}
interface ApiKey {
  id: string;
  name: string;
  roles: string[];
  systemId: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
interface SystemRow {
  id: string;
  name: string;
  state: string;
}

export const PERSON_ROLES = ['analyst', 'supervisor', 'officer', 'system-owner', 'oversight', 'auditor', 'admin'];
/** The roles a working installation needs at least one active person in, in the order they are usually set up. */
const NEEDED_ROLES = ['oversight', 'system-owner', 'supervisor', 'officer', 'analyst'];

/** Administration: people, machine keys, the forecaster, supervisors on duty, the agency's zone, and what is left to set up. */
export function Admin() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<User[]>([]);
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [systems, setSystems] = useState<SystemRow[]>([]);
  const [forecaster, setForecaster] = useState<string | null>(null);
  const [incidents, setIncidents] = useState<number | null>(null);
  const [zone, setZone] = useState('');
  const [sources, setSources] = useState<SourceRow[]>([]);
  const [layers, setLayers] = useState<LayerRow[]>([]);
  const [duty, setDuty] = useState<unknown[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const load = () => {
    void Promise.all([
      api<User[]>('/api/users').then(setUsers),
      api<ApiKey[]>('/api/api-keys').then(setKeys),
      api<SystemRow[]>('/api/register').then(setSystems),
      api<{ systemId: string | null }>('/api/forecast/system').then((f) => setForecaster(f.systemId)),
      api<{ total: number }>('/api/incidents/summary').then((s) => setIncidents(s.total)),
      api<{ timeZone: string }>('/api/agency').then((a) => setZone((z) => z || a.timeZone)),
      api<SourceRow[]>('/api/sources').then(setSources),
      api<LayerRow[]>('/api/layers').then(setLayers),
      api<unknown[]>('/api/duty').then(setDuty),
    ]).catch(setLoadError);
  };
  useEffect(load, []);
  const act = useAction(load);

  const active = users.filter((u) => !u.disabled);
  const steps = [
    ...NEEDED_ROLES.map((r) => ({
      id: `role-${r}`,
      done: active.some((u) => u.roles.includes(r)),
      text: t('admin.step.role', { role: t(`role.${r}`) }),
      href: '#people',
    })),
    { id: 'source', done: sources.length > 0, text: t('admin.step.source'), href: '#data-sources' },
    { id: 'layer', done: layers.length > 0, text: t('admin.step.layer'), href: '#area-layers' },
    { id: 'incidents', done: (incidents ?? 0) > 0, text: t('admin.step.incidents'), href: '#import-incidents' },
    { id: 'forecaster', done: Boolean(forecaster), text: t('admin.step.forecaster'), href: '#forecaster' },
    { id: 'duty', done: duty.length > 0, text: t('admin.step.duty'), href: '#duty' },
  ];
  const next = steps.find((s) => !s.done);

  return (
    <section className="admin">
      <h1>{t('admin.title')}</h1>
      <ProblemNote error={loadError} />
      <Section id="setup" title={t('admin.setup')}>
        <p className="note">{next ? t('admin.nextStep', { step: next.text }) : t('admin.allSet')}</p>
        <ol className="checklist">
          {steps.map((s) => (
            <li key={s.id} data-step={s.id} data-done={s.done}>
              {s.done ? '✔ ' : '☐ '}
              <a href={s.href}>{s.text}</a>
            </li>
          ))}
        </ol>
      </Section>
      <People users={users} reload={load} />
      <DataSources sources={sources} reload={load} />
      <AreaLayers layers={layers} reload={load} />
      <ImportIncidents sources={sources} reload={load} />
      <Keys keys={keys} systems={systems} reload={load} />
      <Section id="forecaster" title={t('admin.forecaster')}>
        <ForecasterForm systems={systems} current={forecaster} reload={load} />
      </Section>
      <Section id="duty" title={t('admin.duty')}>
        <DutyForm users={active.filter((u) => u.roles.includes('supervisor'))} reload={load} />
      </Section>
      <Section id="time-zone" title={t('admin.timeZone')}>
        <p className="note">{t('admin.timeZoneHelp')}</p>
        <label>
          {t('admin.timeZoneLabel')}
          <input name="timeZone" value={zone} onChange={(e) => setZone(e.target.value)} list="zones" />
        </label>
        <datalist id="zones">
          {['UTC', 'Asia/Seoul', 'Europe/London', 'America/New_York', 'America/Chicago', 'America/Los_Angeles'].map(
            (z) => (
              <option key={z} value={z} />
            ),
          )}
        </datalist>
        <button
          name="save-time-zone"
          onClick={() =>
            act.run(async () => {
              await api('/api/agency/time-zone', { method: 'PUT', body: JSON.stringify({ timeZone: zone }) });
              location.reload();
            })
          }
        >
          {t('admin.save')}
        </button>
        <ProblemNote error={act.error} />
      </Section>
    </section>
  );
}

function RoleBoxes({ value, onChange, prefix }: { value: string[]; onChange: (v: string[]) => void; prefix: string }) {
  const { t } = useTranslation();
  return (
    <ChoiceBoxes
      legend={t('admin.roles')}
      className="roles"
      choices={PERSON_ROLES}
      value={value}
      onChange={onChange}
      prefix={prefix}
      label={(r) => t(`role.${r}`)}
    />
  );
}

function People({ users, reload }: { users: User[]; reload: () => void }) {
  const { t } = useTranslation();
  const act = useAction(reload);
  const [form, setForm] = useState({ username: '', displayName: '', password: '', unit: '', roles: [] as string[] });
  const [open, setOpen] = useState<string | null>(null);
  const [edit, setEdit] = useState({ roles: [] as string[], unit: '', password: '' });
  const create = () =>
    act.run(
      async () => {
        await api('/api/users', {
          method: 'POST',
          body: JSON.stringify({
            username: form.username,
            password: form.password,
            roles: form.roles,
            ...(form.displayName ? { displayName: form.displayName } : {}),
            unit: form.unit || null,
          }),
        });
        setForm({ username: '', displayName: '', password: '', unit: '', roles: [] });
      },
      t('admin.created', { name: form.username }),
    );
  const openUser = (u: User) => {
    setOpen(u.id);
    setEdit({ roles: u.roles.filter((r) => r !== 'public'), unit: u.unit ?? '', password: '' });
  };
  const u = users.find((x) => x.id === open);
  return (
    <Section id="people" title={t('admin.people')}>
      <table className="register" data-testid="users">
        <thead>
          <tr>
            <th>{t('auth.username')}</th>
            <th>{t('admin.displayName')}</th>
            <th>{t('admin.roles')}</th>
            <th>{t('admin.unit')}</th>
            <th>{t('admin.state')}</th>
            <th>
              <span className="visually-hidden">{t('admin.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((x) => (
            <tr key={x.id} data-user={x.username}>
              <td translate="no">{x.username}</td>
              <td translate="no">{x.displayName}</td>
              <td>
                {x.roles
                  .filter((r) => r !== 'public')
                  .map((r) => t(`role.${r}`))
                  .join(', ')}
              </td>
              <td translate="no">{x.unit ?? '—'}</td>
              <td>
                {x.disabled
                  ? t('admin.disabled')
                  : x.lockedUntil && new Date(x.lockedUntil) > new Date()
                    ? t('admin.lockedUntil', { until: formatDateTime(x.lockedUntil) })
                    : t('admin.active')}
              </td>
              <td>
                <button name={`manage-${x.username}`} onClick={() => openUser(x)}>
                  {t('admin.manage')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {u && (
        <div className="panel" data-testid="manage-user">
          <h3>{t('admin.manageUser', { name: u.username })}</h3>
          <RoleBoxes value={edit.roles} onChange={(roles) => setEdit({ ...edit, roles })} prefix="edit-role" />
          <label>
            {t('admin.unit')}
            <input name="edit-unit" value={edit.unit} onChange={(e) => setEdit({ ...edit, unit: e.target.value })} />
          </label>
          <div className="actions">
            <button
              name="save-user"
              onClick={() =>
                act.run(
                  () =>
                    api(`/api/users/${u.id}`, {
                      method: 'PATCH',
                      body: JSON.stringify({ roles: edit.roles, unit: edit.unit || null }),
                    }),
                  t('admin.saved'),
                )
              }
            >
              {t('admin.save')}
            </button>
            <button
              name="toggle-disabled"
              onClick={() =>
                act.run(
                  () => api(`/api/users/${u.id}`, { method: 'PATCH', body: JSON.stringify({ disabled: !u.disabled }) }),
                  t(u.disabled ? 'admin.enabledDone' : 'admin.disabledDone'),
                )
              }
            >
              {t(u.disabled ? 'admin.enable' : 'admin.disable')}
            </button>
            <button
              name="revoke-sessions"
              onClick={() =>
                act.run(() => api(`/api/users/${u.id}/sessions`, { method: 'DELETE' }), t('admin.sessionsEnded'))
              }
            >
              {t('admin.revokeSessions')}
            </button>
            {u.lockedUntil && (
              <button
                name="unlock"
                onClick={() =>
                  act.run(() => api(`/api/users/${u.id}/lockout`, { method: 'DELETE' }), t('admin.unlocked'))
                }
              >
                {t('admin.unlock')}
              </button>
            )}
          </div>
          <label>
            {t('admin.newPassword')}
            <input
              name="reset-password"
              type="password"
              autoComplete="new-password"
              value={edit.password}
              onChange={(e) => setEdit({ ...edit, password: e.target.value })}
            />
          </label>
          <button
            name="do-reset-password"
            onClick={() =>
              act.run(
                () =>
                  api(`/api/users/${u.id}/password`, {
                    method: 'POST',
                    body: JSON.stringify({ password: edit.password }),
                  }),
                t('admin.passwordReset'),
              )
            }
          >
            {t('admin.resetPassword')}
          </button>
        </div>
      )}
      <div className="panel">
        <h3>{t('admin.newUser')}</h3>
        <label>
          {t('auth.username')}
          <input
            name="new-username"
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
          />
        </label>
        <label>
          {t('admin.displayName')}
          <input
            name="new-display-name"
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          />
        </label>
        <label>
          {t('admin.initialPassword')}
          <input
            name="new-password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <p className="note">{t('admin.passwordRule')}</p>
        <label>
          {t('admin.unit')}
          <input name="new-unit" value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value })} />
        </label>
        <RoleBoxes value={form.roles} onChange={(roles) => setForm({ ...form, roles })} prefix="new-role" />
        <button name="create-user" onClick={create}>
          {t('admin.createUser')}
        </button>
      </div>
      {act.done && (
        <p className="note" role="status" data-testid="people-done">
          {act.done}
        </p>
      )}
      <ProblemNote error={act.error} testId="people-error" />
    </Section>
  );
}

function Keys({ keys, systems, reload }: { keys: ApiKey[]; systems: SystemRow[]; reload: () => void }) {
  const { t } = useTranslation();
  const act = useAction(reload);
  const [name, setName] = useState('');
  const [systemId, setSystemId] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Section id="api-keys" title={t('admin.apiKeys')}>
      <p className="note">{t('admin.apiKeysHelp')}</p>
      <table className="register">
        <thead>
          <tr>
            <th>{t('admin.keyName')}</th>
            <th>{t('admin.keySystem')}</th>
            <th>{t('admin.lastUsed')}</th>
            <th>{t('admin.state')}</th>
            <th>
              <span className="visually-hidden">{t('admin.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-key={k.name}>
              <td translate="no">{k.name}</td>
              <td translate="no">{systems.find((s) => s.id === k.systemId)?.name ?? k.systemId ?? '—'}</td>
              <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('admin.never')}</td>
              <td>{k.revokedAt ? t('admin.revoked') : t('admin.active')}</td>
              <td>
                {!k.revokedAt && (
                  <button
                    name={`revoke-key-${k.name}`}
                    onClick={() => act.run(() => api(`/api/api-keys/${k.id}`, { method: 'DELETE' }))}
                  >
                    {t('admin.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
          {keys.length === 0 && (
            <tr>
              <td colSpan={5}>{t('admin.noKeys')}</td>
            </tr>
          )}
        </tbody>
      </table>
      <label>
        {t('admin.keyName')}
        <input name="key-name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('admin.keySystem')}
        <select name="key-system" value={systemId} onChange={(e) => setSystemId(e.target.value)}>
          <option value="">{t('admin.anySystem')}</option>
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <button
        name="create-key"
        onClick={() =>
          act.run(async () => {
            const r = await api<{ id: string; key: string }>('/api/api-keys', {
              method: 'POST',
              body: JSON.stringify({ name, roles: ['integration'], systemId: systemId || null }),
            });
            setSecret(r.key);
          })
        }
      >
        {t('admin.createKey')}
      </button>
      {secret && (
        <p className="note" role="status" data-testid="key-secret">
          {t('admin.keyOnce')} <code translate="no">{secret}</code>
        </p>
      )}
      <ProblemNote error={act.error} />
    </Section>
  );
}

function ForecasterForm({
  systems,
  current,
  reload,
}: {
  systems: SystemRow[];
  current: string | null;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const act = useAction(reload);
  const [id, setId] = useState('');
  const name = systems.find((s) => s.id === current)?.name;
  return (
    <>
      <p data-testid="forecaster-current">
        {current ? t('admin.forecasterIs', { name: name ?? current }) : t('admin.noForecaster')}
      </p>
      <p className="note">
        {t('admin.forecasterHelp')}{' '}
        <a
          href="/systems"
          onClick={(e) => {
            e.preventDefault();
            navigate('/systems');
          }}
        >
          {t('nav.systems')}
        </a>
      </p>
      <label>
        {t('admin.forecasterSystem')}
        <select name="forecaster" value={id} onChange={(e) => setId(e.target.value)}>
          <option value="" />
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} · {t(`state.${s.state}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        name="name-forecaster"
        onClick={() =>
          act.run(() => api('/api/forecast/system', { method: 'PUT', body: JSON.stringify({ systemId: id }) }))
        }
      >
        {t('admin.nameForecaster')}
      </button>
      <ProblemNote error={act.error} testId="forecaster-error" />
    </>
  );
}

/** `datetime-local` values are read in the browser's zone; the server stores instants. */
function DutyForm({ users, reload }: { users: User[]; reload: () => void }) {
  const { t } = useTranslation();
  const act = useAction(reload);
  const [f, setF] = useState({ supervisorId: '', unit: '', startsAt: '', endsAt: '' });
  const sup = f.supervisorId || users[0]?.id || '';
  return (
    <>
      <p className="note">{t('admin.dutyHelp')}</p>
      {users.length === 0 ? (
        <p>{t('admin.noSupervisors')}</p>
      ) : (
        <>
          <label>
            {t('role.supervisor')}
            <select name="duty-supervisor" value={sup} onChange={(e) => setF({ ...f, supervisorId: e.target.value })}>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.unit')}
            <input
              name="duty-unit"
              value={f.unit || users.find((u) => u.id === sup)?.unit || ''}
              onChange={(e) => setF({ ...f, unit: e.target.value })}
            />
          </label>
          <label>
            {t('roster.start')}
            <input
              type="datetime-local"
              name="duty-start"
              value={f.startsAt}
              onChange={(e) => setF({ ...f, startsAt: e.target.value })}
            />
          </label>
          <label>
            {t('roster.end')}
            <input
              type="datetime-local"
              name="duty-end"
              value={f.endsAt}
              onChange={(e) => setF({ ...f, endsAt: e.target.value })}
            />
          </label>
          <button
            name="put-on-duty"
            onClick={() =>
              act.run(async () => {
                const s = new Date(f.startsAt);
                const e = new Date(f.endsAt);
                if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) throw new Error(t('roster.needTimes'));
                await api('/api/duty', {
                  method: 'POST',
                  body: JSON.stringify({
                    unit: f.unit || users.find((u) => u.id === sup)?.unit,
                    supervisorId: sup,
                    startsAt: s.toISOString(),
                    endsAt: e.toISOString(),
                  }),
                });
              }, t('admin.onDuty'))
            }
          >
            {t('admin.putOnDuty')}
          </button>
        </>
      )}
      {act.done && (
        <p className="note" role="status" data-testid="duty-done">
          {act.done}
        </p>
      )}
      <ProblemNote error={act.error} testId="duty-error" />
    </>
  );
}
