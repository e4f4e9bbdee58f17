// Runs a script built ahead (scripts/build-bundle.mjs, scripts/build-plots.mjs) with its V8 code
// cache: V8 then skips compiling what the cache holds. A cache made by another Node or V8 (or for
// another script) is rejected, and the script compiles as it runs.
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';

export interface CachedScript {
  /** What the script's last expression evaluates to. */
  value: unknown;
  script: Script;
  /** Whether V8 took the code cache. */
  cached: boolean;
}

/** Runs `file` (ASCII, so read as latin1: several times faster than utf8) with `cacheFile`'s code
 * cache when there is one. */
export function runCachedScript(file: string, cacheFile: string): CachedScript {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache: the script compiles as it runs
  }
  const script = new Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
  return { value: script.runInThisContext(), script, cached: cachedData !== undefined && script.cachedDataRejected !== true };
}
