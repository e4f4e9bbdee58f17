// The backends dlx can train on, by name: native (C for the CPU's full vector width, when it
// was built at install), the WebAssembly SIMD backend, and the TypeScript reference backend (the
// test oracle and the last fallback). The default is the fastest that works here.
import { availableParallelism } from 'node:os';
import type { Backend } from './backend.js';
import { nativeAddon } from './native/addon.js';
import { nativeBackend } from './native/native-backend.js';
import { referenceBackend } from './reference.js';
import { startedWasmBackends, wasmBackend } from './wasm/wasm-backend.js';

export const backendNames = ['native', 'wasm', 'reference'];

/** native when its kernels load on this CPU, wasm otherwise. */
export const defaultBackendName = (): string => ('addon' in nativeAddon() ? 'native' : 'wasm');

/** One thread per core, at most 8: the products of typical specs stop scaling well before that. */
export const defaultThreads = (): number => Math.min(availableParallelism(), 8);

/** The backend called `name` on `threads` threads, or undefined for an unknown name. */
export async function loadBackend(name: string, threads: number): Promise<Backend | undefined> {
  if (name === 'native') return nativeBackend(threads);
  if (name === 'reference') return referenceBackend;
  if (name === 'wasm') return wasmBackend(threads);
  return undefined;
}

/**
 * After a trial, in a process that runs another next: the WebAssembly memory the trial's tensors
 * held is given back (it lives outside the garbage collector; native and reference buffers are
 * ordinary arrays that it frees).
 */
export async function releaseTrialMemory(): Promise<void> {
  for (const b of await Promise.all(startedWasmBackends())) b.releaseAll();
}
