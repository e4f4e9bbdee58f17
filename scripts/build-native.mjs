#!/usr/bin/env node
// Builds the native backend's kernels (src/engine/native/c) with the system C compiler against
// this Node's own N-API headers: no node-gyp, nothing fetched, no C++ runtime; libc, libm and
// pthreads only. On x86-64 two builds, AVX-512 (dlx-avx512.node) and AVX2+FMA (dlx-avx2.node),
// the best one the CPU runs is picked at run time; on arm64 one NEON build. It never fails the
// install: without a compiler or headers it prints one line and dlx uses the wasm backend.
//   node scripts/build-native.mjs [--sanitize] [--out DIR]
// --sanitize: AddressSanitizer + UndefinedBehaviorSanitizer builds (npm run test:native-asan).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const sanitize = args.includes('--sanitize');
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, sanitize ? 'dist/native-asan' : 'dist/native');
const source = join(root, 'src/engine/native/c');
const cc = process.env.CC || 'cc';

// Each instruction set: its compiler flags, and the define addon.c checks the CPU for at load time.
const x86 = {
  avx512: ['-mavx512f', '-mavx512dq', '-mavx512bw', '-mavx512vl', '-mavx2', '-mfma', '-mf16c', '-mbmi', '-mbmi2', '-mpopcnt', '-DDLX_NEED_AVX512'],
  avx2: ['-mavx2', '-mfma', '-mf16c', '-mbmi', '-mbmi2', '-mpopcnt', '-DDLX_NEED_AVX2'],
};
const variants = process.arch === 'x64' ? x86 : process.arch === 'arm64' ? { neon: [] } : { generic: [] };
// the products use fused multiply-add (contraction); the rest rounds as written, as the reference does
const contracted = new Set(['gemm.c', 'conv.c', 'winograd.c']);

function headers() {
  const candidates = [process.env.DLX_NODE_INCLUDE, join(dirname(dirname(process.execPath)), 'include/node'), '/usr/include/node', '/usr/local/include/node'];
  return candidates.find((dir) => dir && existsSync(join(dir, 'node_api.h')));
}

function build() {
  const include = headers();
  if (!include) return 'no node_api.h found (set DLX_NODE_INCLUDE to the folder that holds it)';
  try {
    execFileSync(cc, ['--version'], { stdio: 'ignore' });
  } catch {
    return `no C compiler (${cc})`;
  }
  const common = ['-std=gnu11', '-fPIC', '-fvisibility=hidden', '-fno-math-errno', '-Wall', '-Wno-unused-function',
    ...(sanitize ? ['-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined'] : ['-O3'])];
  const kernels = readdirSync(source).filter((f) => f.endsWith('.c') && f !== 'addon.c');
  mkdirSync(out, { recursive: true });
  const built = [];
  const failures = [];
  for (const [isa, flags] of Object.entries(variants)) {
    const work = mkdtempSync(join(tmpdir(), `dlx-native-${isa}-`));
    try {
      const objects = [];
      for (const file of kernels) {
        const object = join(work, file.replace(/\.c$/, '.o'));
        execFileSync(cc, [...common, ...flags, contracted.has(file) ? '-ffp-contract=fast' : '-ffp-contract=off', '-c', join(source, file), '-o', object], { stdio: 'pipe' });
        objects.push(object);
      }
      // the N-API glue for the baseline CPU, so that loading it on any CPU is safe
      const glue = join(work, 'addon.o');
      const need = flags.filter((f) => f.startsWith('-D'));
      execFileSync(cc, [...common, `-DDLX_ISA="${isa}"`, ...need, `-I${include}`, '-c', join(source, 'addon.c'), '-o', glue], { stdio: 'pipe' });
      execFileSync(cc, [...common.filter((f) => !f.startsWith('-W')), '-shared', '-o', join(out, `dlx-${isa}.node`), glue, ...objects, '-lm', '-lpthread'], { stdio: 'pipe' });
      built.push(isa);
    } catch (e) {
      failures.push(`${isa}: ${String(e.stderr ?? e.message).trim().split('\n')[0]}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  if (built.length === 0) return failures.join('; ');
  console.log(`dlx: native kernels built (${built.join(', ')}${sanitize ? ', with ASan + UBSan' : ''}) in ${out}`);
  return undefined;
}

let problem;
try {
  problem = build();
} catch (e) {
  problem = e.message;
}
if (problem) console.log(`dlx: the native kernels were not built (${problem}); dlx will use the wasm backend`);
