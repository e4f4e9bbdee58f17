// Compiles the AssemblyScript kernels into dist/wasm: one module with relaxed-SIMD fused
// multiply-add and one with plain SIMD, both on an imported shared memory so that worker
// threads can run the same module on the same tensors. The backend picks one at start-up.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const source = join(root, 'src/engine/wasm/assembly/index.ts');
const out = join(root, 'dist/wasm');
mkdirSync(out, { recursive: true });
const common = [source, '-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--sharedMemory',
  '--initialMemory', '1', '--maximumMemory', '32768'];
const variants = { relaxed: 'simd,relaxed-simd,threads', simd: 'simd,threads' };
for (const [name, features] of Object.entries(variants)) {
  execFileSync(process.execPath, [asc, ...common, '--enable', features, '-o', join(out, `kernels-${name}.wasm`)], { stdio: 'inherit' });
}
