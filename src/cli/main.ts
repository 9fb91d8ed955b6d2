import { Command } from 'commander';

type Register = (program: Command) => void;

// Each loader imports one command module, and through it only the npm packages that command needs: a
// forecast run does not load the web server, the PDF writer or the password checker (issue 18: start-up
// time and memory). The compiled build splits these modules into chunks of their own (scripts/build.mjs).
const serve = async (): Promise<Register> => (await import('./commands/serve')).registerServe;
const importing = async (): Promise<Register> => (await import('./commands/import')).registerImport;
const db = async (): Promise<Register> => (await import('./commands/db')).registerDb;
const user = async (): Promise<Register> => (await import('./commands/user')).registerUser;
const log = async (): Promise<Register> => (await import('./commands/log')).registerLog;
const review = async (): Promise<Register> => (await import('./commands/review')).registerReview;
const source = async (): Promise<Register> => (await import('./commands/source')).registerSourceCommands;
const forecast = async (): Promise<Register> => (await import('./commands/forecast')).registerForecast;
const backup = async (): Promise<Register> => (await import('./commands/backup')).registerBackup;

/** Top-level command name → the loader of the module that registers it (test/unit/cli/command-modules.test.ts keeps this in step). */
export const COMMAND_MODULES: Readonly<Record<string, () => Promise<Register>>> = {
  serve,
  import: importing,
  areas: importing,
  db,
  user,
  log,
  verify: log,
  witness: log,
  disclose: review,
  source,
  forecast,
  reproduce: forecast,
  backtest: forecast,
  backup,
  restore: backup,
};

/**
 * The `counterweight` command. With a known command name in `argv`, only that command's module is
 * loaded; otherwise (help, a misspelt command) every module is, so help and suggestions list them all.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('counterweight')
    .description('Counterweight: accountable patrol guidance and governance for public-safety AI')
    .version('0.1.0')
    .showHelpAfterError();
  const name = argv[2];
  const loaders =
    name !== undefined && Object.hasOwn(COMMAND_MODULES, name)
      ? [COMMAND_MODULES[name]]
      : [serve, importing, db, user, log, review, source, forecast, backup];
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program);
  return program;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\/src\//, '/src/'));
if (isMain || process.env.CW_CLI_MAIN === '1') {
  buildProgram()
    .then((program) => program.parseAsync(process.argv))
    .catch(async (e) => {
      process.exitCode = (await import('./common')).reportError(e);
    });
}
