// The backends dlx can train on, by name: the WebAssembly SIMD backend (the default) and the
// TypeScript reference backend (the test oracle and the fallback).
import { availableParallelism } from 'node:os';
import type { Backend } from './backend.js';
import { referenceBackend } from './reference.js';
import { wasmBackend } from './wasm/wasm-backend.js';

export const backendNames = ['wasm', 'reference'];
export const defaultBackendName = 'wasm';

/** One thread per core, at most 8: the products of typical specs stop scaling well before that. */
export const defaultThreads = (): number => Math.min(availableParallelism(), 8);

/** The backend called `name` on `threads` threads, or undefined for an unknown name. */
export async function loadBackend(name: string, threads: number): Promise<Backend | undefined> {
  if (name === 'reference') return referenceBackend;
  if (name === 'wasm') return wasmBackend(threads);
  return undefined;
}
