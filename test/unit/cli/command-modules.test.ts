/**
 * The command loads only the module of the command it runs (issue 18: start-up time and memory). The
 * table of which module registers which top-level command must match what the modules register, or a
 * command would be missing when run by name.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMAND_MODULES } from '../../../src/cli/main';

const names = (p: Awaited<ReturnType<typeof buildProgram>>) => p.commands.map((c) => c.name()).sort();

describe('counterweight command modules', () => {
  it('lists every top-level command once, and nothing else', async () => {
    const all = await buildProgram(['node', 'counterweight', '--help']);
    expect(Object.keys(COMMAND_MODULES).sort()).toEqual(names(all));
  });

  it('registers the named command, with its subcommands and options, when only its module is loaded', async () => {
    const all = await buildProgram(['node', 'counterweight']);
    for (const name of Object.keys(COMMAND_MODULES)) {
      const only = await buildProgram(['node', 'counterweight', name, '--help']);
      const full = all.commands.find((c) => c.name() === name)!;
      const alone = only.commands.find((c) => c.name() === name);
      expect(alone, name).toBeDefined();
      expect(
        alone!.commands.map((c) => c.name()),
        name,
      ).toEqual(full.commands.map((c) => c.name()));
      expect(
        alone!.options.map((o) => o.flags),
        name,
      ).toEqual(full.options.map((o) => o.flags));
      // Fewer commands than the full program for every command whose module registers a subset.
      expect(names(only).length).toBeLessThanOrEqual(names(all).length);
    }
  });

  it('loads every module for an unknown command, so help can suggest the right one', async () => {
    const typo = await buildProgram(['node', 'counterweight', 'forcast']);
    expect(names(typo)).toEqual(names(await buildProgram(['node', 'counterweight'])));
  });
});
