import { lazy, Suspense, useCallback, useEffect, useState, type ComponentType, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken, type Me } from './api';
import { toggleLanguage } from './i18n/index';
import { DemoBadge } from './DemoBadge';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { navigate, usePath } from './router';
import { setAgencyZone } from './time';

// Every page but the first two a visitor meets loads with its own code when first opened: the maps
// (maplibre), charts (Observable Plot) and forms (SurveyJS) are most of the app's JavaScript, and a
// browser parsed all 2 MB of it before showing the home page or the sign-in form (0.6–0.8 s on a fast
// machine, longer on the laptops in a patrol car).
const lazyPage = <M, K extends keyof M>(load: () => Promise<M>, name: K) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  lazy(() => load().then((m) => ({ default: m[name] as M[K] & ComponentType<any> })));
const IncidentMap = lazyPage(() => import('./pages/IncidentMap'), 'IncidentMap');
const TransparencyLog = lazyPage(() => import('./pages/TransparencyLog'), 'TransparencyLog');
const Register = lazyPage(() => import('./pages/Register'), 'Register');
const RegisterEntry = lazyPage(() => import('./pages/Register'), 'RegisterEntry');
const Systems = lazyPage(() => import('./pages/Systems'), 'Systems');
const SystemWorkspace = lazyPage(() => import('./pages/Systems'), 'SystemWorkspace');
const Review = lazyPage(() => import('./pages/Review'), 'Review');
const Forecast = lazyPage(() => import('./pages/Forecast'), 'Forecast');
const Statistics = lazyPage(() => import('./pages/Statistics'), 'Statistics');
const AuditReport = lazyPage(() => import('./pages/AuditReport'), 'AuditReport');
const Admin = lazyPage(() => import('./pages/Admin'), 'Admin');
const Oversight = lazyPage(() => import('./pages/Oversight'), 'Oversight');

export interface NavItem {
  path: string;
  label: string;
  /** Roles that see the entry; 'public' for everyone. */
  roles: string[];
  ready: boolean;
}

// Navigation for the whole product; entries whose capability has not landed yet are shown disabled.
export const NAV: NavItem[] = [
  { path: '/map', label: 'nav.map', roles: ['analyst', 'supervisor', 'officer', 'oversight', 'admin'], ready: true },
  { path: '/forecast', label: 'nav.forecast', roles: ['analyst', 'supervisor'], ready: true },
  { path: '/review', label: 'nav.review', roles: ['officer', 'supervisor'], ready: true },
  { path: '/register', label: 'nav.register', roles: ['public'], ready: true },
  { path: '/systems', label: 'nav.systems', roles: ['system-owner', 'oversight'], ready: true },
  { path: '/log', label: 'nav.log', roles: ['public'], ready: true },
  { path: '/statistics', label: 'nav.stats', roles: ['public'], ready: true },
  { path: '/oversight', label: 'nav.oversight', roles: ['oversight'], ready: true },
  { path: '/admin', label: 'nav.admin', roles: ['admin'], ready: true },
  { path: '/data', label: 'nav.data', roles: ['oversight', 'admin'], ready: false },
];

/** Where a person lands after signing in: their role's main job (an admin: what still needs setting up). */
export function landingFor(roles: string[]): string {
  if (roles.includes('admin')) return '/admin';
  if (roles.includes('officer') || roles.includes('supervisor')) return '/review';
  if (roles.includes('system-owner') || roles.includes('oversight')) return '/systems';
  return '/map';
}

export function App() {
  const { t } = useTranslation();
  const path = usePath();
  const [me, setMe] = useState<Me | null>(null);
  const [agency, setAgency] = useState<{ timeZone: string; demo: string | null } | null>(null);

  const refresh = useCallback(async () => {
    const m = await api<Me>('/api/auth/me');
    setCsrfToken(m.csrfToken);
    setMe(m);
    return m;
  }, []);
  useEffect(() => {
    // Dates wait for the agency's zone, so no page first shows them in the wrong one.
    void api<{ timeZone: string; demo: string | null }>('/api/agency')
      .then((a) => {
        setAgencyZone(a.timeZone);
        setAgency(a);
      })
      .catch(() => setAgency({ timeZone: 'UTC', demo: null }));
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (!me || !agency) return <p className="loading">{t('map.loading')}</p>;
  const visible = NAV.filter((n) => n.roles.includes('public') || n.roles.some((r) => me.roles.includes(r)));

  const signOut = async () => {
    await api('/api/auth/logout', { method: 'POST' });
    await refresh();
    navigate('/');
  };

  let page: ReactElement;
  if (path === '/login')
    page = (
      <Login
        onSignedIn={async () => {
          const m = await refresh();
          navigate(landingFor(m.roles));
        }}
      />
    );
  else if (path === '/map' && me.signedIn) page = <IncidentMap />;
  else if (path === '/map') page = <Login onSignedIn={refresh} />;
  else if (path === '/log') page = <TransparencyLog />;
  else if (path === '/register') page = <Register />;
  else if (path === '/statistics') page = <Statistics />;
  else if (path.startsWith('/audits/')) page = <AuditReport id={path.split('/')[2]} />;
  else if (path === '/review' && me.signedIn) page = <Review me={me} />;
  else if (path === '/admin' && me.roles.includes('admin')) page = <Admin />;
  else if (path === '/oversight' && me.roles.includes('oversight')) page = <Oversight />;
  else if (path === '/forecast' && me.signedIn) page = <Forecast me={me} />;
  else if (path === '/systems' && me.signedIn) page = <Systems me={me} />;
  else if (path.startsWith('/systems/') && me.signedIn) page = <SystemWorkspace id={path.split('/')[2]} me={me} />;
  else if (path.startsWith('/register/')) page = <RegisterEntry id={path.split('/')[2]} />;
  else page = <Home />;

  return (
    <div className="shell">
      <header>
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          {t('app.name')}
        </a>
        <span className="tagline">{t('app.tagline')}</span>
        <span className="spacer" />
        <DemoBadge />
        <button className="link" lang={t('lang.switchCode')} onClick={toggleLanguage}>
          {t('lang.switch')}
        </button>
        {me.signedIn ? (
          <>
            <span className="who" data-testid="who">
              {t('auth.signedInAs', { name: me.name, roles: me.roles.filter((r) => r !== 'public').join(', ') })}
            </span>
            <button onClick={signOut}>{t('auth.signOut')}</button>
          </>
        ) : (
          <button onClick={() => navigate('/login')}>{t('auth.signIn')}</button>
        )}
      </header>
      <nav>
        {visible.map((n) =>
          n.ready ? (
            <a
              key={n.path}
              href={n.path}
              className={path === n.path ? 'active' : ''}
              onClick={(e) => {
                e.preventDefault();
                navigate(n.path);
              }}
            >
              {t(n.label)}
            </a>
          ) : (
            <span key={n.path} className="disabled" title={t('nav.soon')}>
              {t(n.label)}
            </span>
          ),
        )}
      </nav>
      {agency.demo && (
        <p className="demo-banner" data-testid="demo-banner">
          {t('demo.banner')}
        </p>
      )}
      <main>
        <Suspense
          fallback={
            <p className="loading" aria-busy="true">
              {t('map.loading')}
            </p>
          }
        >
          {page}
        </Suspense>
      </main>
      <footer className="note">{t('app.timeZone', { zone: agency.timeZone })}</footer>
    </div>
  );
}
