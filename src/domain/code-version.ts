import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The code version written into every run record: package version plus the git commit when the code
 * runs from a checkout (`counterweight@0.1.0+ff2d86b`), else the package version alone.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  let commit = '';
  try {
    commit = execSync('git rev-parse --short HEAD', {
      stdio: ['ignore', 'pipe', 'ignore'],
      cwd: new URL('../..', import.meta.url),
    })
      .toString()
      .trim();
  } catch {
    // not a checkout (e.g. an installed package): the package version alone
  }
  cached = `counterweight@${pkg.version}${commit ? `+${commit}` : ''}`;
  return cached;
}
