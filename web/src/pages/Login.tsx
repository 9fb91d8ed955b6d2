import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';

export function Login({ onSignedIn }: { onSignedIn: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
      await onSignedIn();
    } catch (err) {
      setError(t('auth.failed', { detail: err instanceof ApiError ? err.problem.detail : String(err) }));
    }
  };
  return (
    <form className="login" onSubmit={submit}>
      <h2>{t('auth.signIn')}</h2>
      <label>
        {t('auth.username')}
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('auth.password')}
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button type="submit">{t('auth.signIn')}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
