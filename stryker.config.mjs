// Mutation testing of the numeric core: `npm run mutate` (not part of npm test or CI).
// Stryker instruments the TypeScript sources in a sandbox; buildCommand compiles them once (each
// mutant is switched on by an environment variable, so nothing is rebuilt per mutant), and the tap
// runner runs the compiled node:test files (TAP on Node 20), for each mutant only the tests that
// cover it. Static mutants (module-level code: zod schemas and their defaults, registries) are
// ignored: each would rerun every test file, and the defaults are the spec tests' business.
// `incremental` reuses earlier results for unchanged code and tests (reports/, git-ignored).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  "testRunner": "tap",
  "plugins": [
    "@stryker-mutator/tap-runner"
  ],
  // the measured scope (docs/mutation.md): the update rules, schedules and shared transforms,
  // all of src/nn (layers, model, sparsity, penalties, initializers, losses, activations) and
  // the normalizers
  "mutate": [
    "src/optim/**/*.ts",
    "src/nn/**/*.ts",
    "src/data/normalizers/*.ts",
    "!src/**/*.test.ts"
  ],
  "disableTypeChecks": "src/{optim,nn,data}/**/*.ts",
  // emit only: the instrumented sources do not type-check (npm run build checked the real ones)
  "buildCommand": "npx tsc -p tsconfig.json --noCheck",
  "tap": {
    "testFiles": [
      "dist/src/optim/**/*.test.js",
      "dist/src/nn/**/*.test.js",
      "dist/src/data/normalizers/*.test.js",
      // each component's `summary` is documentation: the README's spec reference shows it, and
      // this test fails when that reference differs from the one the code generates
      "dist/test/readme.test.js"
    ],
    "nodeArgs": [
      "-r",
      "{{hookFile}}",
      "{{testFile}}"
    ],
    "forceBail": true
  },
  "coverageAnalysis": "perTest",
  "ignoreStatic": true,
  "incremental": true,
  "incrementalFile": "reports/stryker-incremental.json",
  "concurrency": 2,
  "timeoutMS": 8000,
  "reporters": [
    "clear-text",
    "progress",
    "html",
    "json"
  ],
  "htmlReporter": {
    "fileName": "reports/mutation/index.html"
  },
  "jsonReporter": {
    "fileName": "reports/mutation/mutation.json"
  },
  "ignorePatterns": [
    "runs",
    "reports",
    ".stryker-tmp"
  ],
  "tempDirName": ".stryker-tmp",
  "cleanTempDir": "always"
};
