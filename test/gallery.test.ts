// configs/lecture/gallery.yaml: every item's spec, with every variant's overrides, is a valid spec.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadSpec } from '../src/config/load.js';
import { parseOverride } from '../src/config/overrides.js';
import { root } from './helpers.js';

const lecture = join(root, 'configs/lecture');
const items = parse(readFileSync(join(lecture, 'gallery.yaml'), 'utf8')) as { spec: string; variants: Record<string, string[]> }[];

test('every gallery variant is a valid spec', async () => {
  assert.ok(items.length >= 9);
  for (const item of items) {
    for (const [variant, sets] of Object.entries(item.variants)) {
      await assert.doesNotReject(loadSpec(join(lecture, item.spec), sets.map(parseOverride)), `${item.spec} ${variant}`);
    }
  }
});
