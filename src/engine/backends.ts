// The backends dlx can train on, by name. The WebAssembly SIMD backend joins this list.
import type { Backend } from './backend.js';
import { referenceBackend } from './reference.js';

export const backends: Record<string, Backend> = {
  reference: referenceBackend,
};

export const defaultBackendName = 'reference';
