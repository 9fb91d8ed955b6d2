import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { createUser } from '../../accounts/accounts';
import { PERSON_ROLES } from '../../domain/roles';
import { openMigratedStore } from '../common';

export function registerUser(program: Command) {
  const user = program.command('user').description('accounts');
  user.command('add')
    .description('create an account; the password comes from CW_PASSWORD or is generated and printed once')
    .argument('<username>')
    .requiredOption('--roles <list>', `comma-separated: ${PERSON_ROLES.join(', ')}`)
    .option('--name <display name>')
    .option('--unit <unit>', 'the unit whose alerts this person reviews')
    .action(async (username: string, o) => {
      const password = process.env.CW_PASSWORD ?? randomBytes(12).toString('base64url');
      const store = await openMigratedStore();
      try {
        const u = await createUser(store.db, { username, password, roles: String(o.roles).split(',').map((s) => s.trim()), displayName: o.name, unit: o.unit });
        process.stdout.write(`created ${u.username} (${u.roles.join(', ')})\n`);
        if (!process.env.CW_PASSWORD) process.stdout.write(`password (shown once): ${password}\n`);
      } finally {
        await store.close();
      }
    });
}
