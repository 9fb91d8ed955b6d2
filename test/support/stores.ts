import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate, openStore, type Store } from '../../src/store/db';

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/** A fresh, migrated, empty database of the given kind: in-memory SQLite or a new PostgreSQL database. */
export async function freshStore(dialect: DialectName): Promise<Store> {
  if (dialect === 'sqlite') {
    const store = openStore({ sqliteFile: ':memory:' });
    await migrate(store);
    return store;
  }
  const url = await freshPostgresUrl();
  const store = openStore({ databaseUrl: url });
  await migrate(store);
  return store;
}

export async function freshPostgresUrl(): Promise<string> {
  const admin = inject('pgAdminUrl');
  const name = `cw_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return admin.replace(/\/[^/]*$/, `/${name}`);
}
