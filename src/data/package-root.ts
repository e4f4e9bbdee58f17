// The installed package's root folder, where `datasets/` lives, found from this file's place
// (dist/src/data/ after the build), so that dlx runs from any working directory.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('dlx: cannot find its package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  cached = dir;
  return dir;
}

export function shippedDatasetPath(file: string): string {
  return join(packageRoot(), 'datasets', file);
}
