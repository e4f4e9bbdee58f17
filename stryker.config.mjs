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
  "mutate": [
    "src/optim/**/*.ts",
    "src/nn/**/*.ts",
    "src/data/normalizers/*.ts",
    "!src/**/*.test.ts"
  ],
  "buildCommand": "npx tsc -p tsconfig.json",
  "tap": {
    "testFiles": [
      "dist/src/optim/**/*.test.js",
      "dist/src/nn/**/*.test.js",
      "dist/src/data/normalizers/*.test.js"
    ],
    "nodeArgs": [
      "-r",
      "{{hookFile}}",
      "{{testFile}}"
    ]
  },
  "coverageAnalysis": "perTest",
  "ignoreStatic": true,
  "incremental": true,
  "incrementalFile": "reports/stryker-incremental.json",
  "concurrency": 2,
  "timeoutMS": 20000,
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
