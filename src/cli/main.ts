import { Command } from 'commander';
import { registerBackup } from './commands/backup';
import { registerDb } from './commands/db';
import { registerImport } from './commands/import';
import { registerLog } from './commands/log';
import { registerReview } from './commands/review';
import { registerSourceCommands } from './commands/source';
import { registerForecast } from './commands/forecast';
import { registerServe } from './commands/serve';
import { registerUser } from './commands/user';
import { reportError } from './common';

/** The `counterweight` command. Each capability registers its subcommands here. */
export function buildProgram(): Command {
  const program = new Command('counterweight')
    .description('Counterweight: accountable patrol guidance and governance for public-safety AI')
    .version('0.1.0')
    .showHelpAfterError();
  registerServe(program);
  registerImport(program);
  registerDb(program);
  registerUser(program);
  registerLog(program);
  registerReview(program);
  registerSourceCommands(program);
  registerForecast(program);
  registerBackup(program);
  return program;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\/src\//, '/src/'));
if (isMain || process.env.CW_CLI_MAIN === '1') {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e) => {
      process.exitCode = reportError(e);
    });
}
