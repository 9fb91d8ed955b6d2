import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, problemText } from '../api';

export function Login({ onSignedIn }: { onSignedIn: () => unknown }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
      await onSignedIn();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="login" onSubmit={submit}>
      <h1>{t('auth.signIn')}</h1>
      <label>
        {t('auth.username')}
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('auth.password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit">{t('auth.signIn')}</button>
      {error ? (
        <p role="alert" className="error">
          {t('auth.failed', { detail: problemText(error) })}
        </p>
      ) : null}
    </form>
  );
}
