// The kernel module's entry: every kernel dlx compiles to WebAssembly.
export * from './gemm';
export * from './elementwise';
export * from './pool';
export * from './conv';
export * from './squash';
export * from './batchnorm';
export * from './dropout';
export * from './winograd';
export * from './winograd-filter';
