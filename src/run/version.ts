// dlx's own version, read from its package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../data/package-root.js';

export const dlxVersion: string = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
