// Regenerates the README's spec reference from the schema: npm run docs.
import { readFileSync, writeFileSync } from 'node:fs';
import { REFERENCE_END, REFERENCE_START, specReference } from '../dist/src/config/reference.js';
import { sweepSchema } from '../dist/src/sweep/settings.js';

const path = new URL('../README.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const start = text.indexOf(REFERENCE_START);
const end = text.indexOf(REFERENCE_END);
if (start < 0 || end < start) throw new Error('README.md has no spec-reference markers');
writeFileSync(path, text.slice(0, start + REFERENCE_START.length) + '\n' + specReference({ sweep: sweepSchema }) + '\n' + text.slice(end));
