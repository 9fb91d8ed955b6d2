import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import {
  createUser,
  getUser,
  listUsers,
  resetPassword,
  revokeSessions,
  unlockUser,
  updateUser,
  userIdByName,
  type PublicUser,
} from '../../accounts/accounts';
import { PERSON_ROLES } from '../../domain/roles';
import type { Ledger } from '../../ledger-service/ledger';
import { CLI_ACTOR, openLedger, openMigratedStore } from '../common';
import { InputError } from '../../domain/errors';
import { msg } from '../../domain/messages';

/** Run one account command with the store and log open; every change is logged like the API's. */
async function withLedger<T>(fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  const store = await openMigratedStore();
  try {
    const ledger = await openLedger(store);
    const r = await fn(ledger);
    await ledger.close();
    return r;
  } finally {
    await store.close();
  }
}

function describeUser(u: PublicUser): string {
  const state = u.disabled ? 'disabled' : u.lockedUntil ? `locked until ${u.lockedUntil}` : 'active';
  return `${u.username}\t${u.roles.join(',')}\t${u.unit ?? '-'}\t${state}\t${u.failedSignIns} failed sign-ins\t${u.id}\n`;
}

const roleList = (s: string) =>
  s
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);

export function registerUser(program: Command) {
  const user = program
    .command('user')
    .description('accounts: create, list, change roles or unit, disable, reset passwords, end sessions');
  user
    .command('add')
    .description('create an account; the password comes from CW_PASSWORD or is generated and printed once')
    .argument('<username>')
    .requiredOption('--roles <list>', `comma-separated: ${PERSON_ROLES.join(', ')}`)
    .option('--name <display name>')
    .option('--unit <unit>', 'the unit whose alerts this person reviews')
    .action(async (username: string, o) => {
      const password = process.env.CW_PASSWORD ?? randomBytes(12).toString('base64url');
      const u = await withLedger((l) =>
        createUser(l, CLI_ACTOR, {
          username,
          password,
          roles: roleList(String(o.roles)),
          displayName: o.name,
          unit: o.unit,
        }),
      );
      process.stdout.write(`created ${u.username} (${u.roles.join(', ')})\n`);
      if (!process.env.CW_PASSWORD) process.stdout.write(`password (shown once): ${password}\n`);
    });

  user
    .command('list')
    .description('every account, its roles, unit, state and any sign-in lockout')
    .action(async () => {
      const store = await openMigratedStore();
      try {
        for (const u of await listUsers(store.db)) process.stdout.write(describeUser(u));
      } finally {
        await store.close();
      }
    });

  const change = (name: string, description: string) =>
    user.command(name).description(`${description} (ends the account's sessions at once)`).argument('<username>');

  change('disable', 'disable an account: no sign-in, and its sessions and the API keys it minted stop working').action(
    async (username: string) => {
      const u = await withLedger(async (l) =>
        updateUser(l, CLI_ACTOR, await userIdByName(l.store.db, username), { disabled: true }),
      );
      process.stdout.write(describeUser(u));
    },
  );
  change('enable', 'enable a disabled account').action(async (username: string) => {
    const u = await withLedger(async (l) =>
      updateUser(l, CLI_ACTOR, await userIdByName(l.store.db, username), { disabled: false }),
    );
    process.stdout.write(describeUser(u));
  });
  change('roles', "replace an account's roles")
    .requiredOption('--roles <list>', `comma-separated: ${PERSON_ROLES.join(', ')}`)
    .action(async (username: string, o) => {
      const u = await withLedger(async (l) =>
        updateUser(l, CLI_ACTOR, await userIdByName(l.store.db, username), { roles: roleList(String(o.roles)) }),
      );
      process.stdout.write(describeUser(u));
    });
  change('unit', 'move an account to another unit (or none with --none)')
    .option('--unit <unit>')
    .option('--none', 'no unit')
    .action(async (username: string, o) => {
      const unit = o.none ? null : o.unit;
      if (unit === undefined)
        throw new InputError(msg('cli.unitOrNone'), [{ field: '--unit', expected: 'a unit, or --none for no unit' }]);
      const u = await withLedger(async (l) =>
        updateUser(l, CLI_ACTOR, await userIdByName(l.store.db, username), { unit }),
      );
      process.stdout.write(describeUser(u));
    });

  user
    .command('reset-password')
    .description(
      'set a new password (CW_PASSWORD, or generated and printed once); ends every session and lifts a lockout',
    )
    .argument('<username>')
    .action(async (username: string) => {
      const password = process.env.CW_PASSWORD ?? randomBytes(12).toString('base64url');
      await withLedger(async (l) => resetPassword(l, CLI_ACTOR, await userIdByName(l.store.db, username), password));
      process.stdout.write(`password of ${username} reset; every session ended\n`);
      if (!process.env.CW_PASSWORD) process.stdout.write(`password (shown once): ${password}\n`);
    });
  user
    .command('revoke-sessions')
    .description('end every session of an account now')
    .argument('<username>')
    .action(async (username: string) => {
      await withLedger(async (l) => revokeSessions(l, CLI_ACTOR, await userIdByName(l.store.db, username)));
      process.stdout.write(`every session of ${username} ended\n`);
    });
  user
    .command('unlock')
    .description('lift a sign-in lockout early')
    .argument('<username>')
    .action(async (username: string) => {
      const u = await withLedger(async (l) => {
        const id = await userIdByName(l.store.db, username);
        await unlockUser(l, CLI_ACTOR, id);
        return getUser(l.store.db, id);
      });
      process.stdout.write(describeUser(u));
    });
}
