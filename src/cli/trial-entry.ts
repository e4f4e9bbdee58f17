// The entry of a sweep trial process (forked by src/run/trial-process.ts): trial-child.ts, from
// the start-up bundle when there is one (src/cli/load.ts).
import { loadTrialChild } from './load.js';

await loadTrialChild();
