// Test helpers: golden values, temporary folders, running the real CLI binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test or dist/src/...). */
export const root = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!dir.endsWith('dist')) dir = dirname(dir);
  return dirname(dir);
})();

export const golden = JSON.parse(readFileSync(join(root, 'test/golden/golden.json'), 'utf8'));

export function tempDir(prefix = 'dlx-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function dlx(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/dlx.js'), ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Relative error check, with an absolute floor for values near zero. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol = 1e-7, what = ''): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`${what}[${i}]: ${actual[i]} vs expected ${expected[i]} (diff ${diff})`);
    }
  }
}

/** The commit of the checkout the tests run in (what a run's env.json records), or null outside a git repository. */
export function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}
