#!/usr/bin/env node
// Runs the kernel table (src/engine/kernels.test.ts) and the native backend's own tests
// (odd and degenerate shapes: 1×1, primes, empty batches) against the AddressSanitizer +
// UndefinedBehaviorSanitizer build in dist/native-asan (scripts/build-native.mjs --sanitize).
// Node itself is not instrumented, so the ASan runtime is preloaded; leak checking is off
// (Node keeps allocations alive at exit by design). Exit status: the tests'.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = join(root, 'dist/native-asan');
if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.node'))) {
  console.error('native-asan: no sanitizer build in dist/native-asan (node scripts/build-native.mjs --sanitize; needs a C compiler with libasan)');
  process.exit(1);
}
const cc = process.env.CC || 'cc';
const runtime = (name) => execFileSync(cc, [`-print-file-name=${name}`], { encoding: 'utf8' }).trim();
const preload = [runtime('libasan.so'), runtime('libubsan.so')].filter((f) => f.startsWith('/') && existsSync(f));
const child = spawnSync(process.execPath, ['--test', '--test-concurrency=1',
  join(root, 'dist/src/engine/kernels.test.js'), join(root, 'dist/src/engine/native/native-kernels.test.js')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    DLX_NATIVE_DIR: dir,
    LD_PRELOAD: preload.join(' '),
    ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:halt_on_error=1',
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
  },
});
process.exit(child.status ?? 1);
