import { spawn } from 'node:child_process';

/**
 * Run the real `counterweight` command in a child process, as installed: the compiled bundles in dist/
 * (what bin/counterweight.js runs; the global setup builds them from the current sources first). Through
 * tsx every call spent 1–3 s compiling the sources again, and the suite makes about 60 of them.
 * Resolves with its exit code and output.
 */
export const CLI_ARGS = ['--enable-source-maps', 'dist/cli/main.mjs'];
export const CLI_ENV = { CW_CLI_MAIN: '1' };

export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
      env: { ...process.env, ...env, ...CLI_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
