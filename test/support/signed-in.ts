import type { LightMyRequestResponse } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '../../src/accounts/accounts';
import type { Role } from '../../src/domain/roles';
import { registerBundledSources } from '../../src/privacy/sources';
import { buildApp } from '../../src/server/app';
import type { App } from '../../src/server/context';
import type { Store } from '../../src/store/db';
import { PASSWORD } from './server';
import { freshStore, type DialectName } from './stores';

/** What a signed-in browser sends with every request: the session cookie and the CSRF header. */
export interface Session {
  cookie: string;
  'x-csrf-token': string;
}

/** Sign a user in through the API, as the browser does. */
export async function signIn(app: App, username: string, password = PASSWORD): Promise<Session> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${r.statusCode} ${r.body}`);
  return {
    cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
    'x-csrf-token': r.json().csrfToken,
  };
}

/**
 * A request as `who` (a signed-in user, or 'public' for nobody) in `lang`. An object payload goes as JSON;
 * a string payload as `contentType`, by default application/json (so a test can send malformed JSON).
 */
export type Call = (
  who: string,
  method: string,
  url: string,
  payload?: unknown,
  lang?: string,
  contentType?: string,
) => Promise<LightMyRequestResponse>;

export function caller(app: App, sessions: Record<string, Session>): Call {
  return (who, method, url, payload, lang = 'en', contentType) => {
    const type = contentType ?? (typeof payload === 'string' ? 'application/json' : undefined);
    return app.inject({
      method: method as 'GET',
      url,
      headers: {
        'accept-language': lang,
        ...(type ? { 'content-type': type } : {}),
        ...(who === 'public' ? {} : sessions[who]),
      },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  };
}

/**
 * A fresh server (no demo data) on `dialect` with one signed-in user per entry of `users` (name → roles),
 * and a `call` that speaks as any of them. `bundledSources`: register the bundled data sources first.
 */
export async function appWithUsers(
  dialect: DialectName,
  users: Record<string, readonly Role[]>,
  opts: { bundledSources?: boolean } = {},
): Promise<{ store: Store; app: App; call: Call; close: () => Promise<void> }> {
  const store = await freshStore(dialect);
  const { app, ledger } = await buildApp(store, {
    webDist: undefined,
    keysDir: mkdtempSync(join(tmpdir(), 'cw-keys-')),
  });
  if (opts.bundledSources) await registerBundledSources(store, ledger);
  const sessions: Record<string, Session> = {};
  for (const [username, roles] of Object.entries(users)) {
    await createUser(ledger, 'system:test-setup', { username, password: PASSWORD, roles: [...roles] });
    sessions[username] = await signIn(app, username);
  }
  return {
    store,
    app,
    call: caller(app, sessions),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
