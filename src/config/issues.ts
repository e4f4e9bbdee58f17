// Turns zod issues into dlx's messages: "expected …, found …", a did-you-mean for unknown keys
// and types, one message per unknown key.
import type * as z from 'zod';
import { didYouMean } from '../common/suggest.js';
import { keyHint } from './hints.js';

export type Path = (string | number)[];

export interface Problem {
  path: Path;
  /** The problem is about the key itself (an unknown key), not its value. */
  atKey: boolean;
  message: string;
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

const article: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  int: 'a whole number',
  tuple: 'a list',
};

export function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }, small: boolean): string {
  const limit = small ? issue.minimum : issue.maximum;
  const op = small ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
  return `${op} ${String(limit)}`;
}

export function problemsOf(issues: readonly z.core.$ZodIssue[], input: unknown): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path as Path;
    const found = valueAt(input, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const lines = issue.message.split('\n');
        issue.keys.forEach((key, i) => out.push({
          path: [...path, key],
          atKey: true,
          message: keyHint(path, key, found) ?? lines[i] ?? `unknown key '${key}'`,
        }));
        break;
      }
      case 'invalid_type':
        out.push({
          path,
          atKey: false,
          message: found === undefined
            ? `missing required key '${String(path[path.length - 1])}'`
            : `expected ${article[issue.expected] ?? issue.expected}, found ${describe(found)}`,
        });
        break;
      case 'too_small':
      case 'too_big': {
        const small = issue.code === 'too_small';
        const what = issue.origin === 'array' ? `a list of ${small ? 'at least' : 'at most'} ${String(small ? issue.minimum : issue.maximum)} items`
          : issue.origin === 'string' ? `a text of ${small ? 'at least' : 'at most'} ${String(small ? issue.minimum : issue.maximum)} characters`
          : `a number ${bound(issue, small)}`;
        out.push({ path, atKey: false, message: `expected ${what}, found ${Array.isArray(found) ? `${found.length} items` : describe(found)}` });
        break;
      }
      case 'invalid_value': {
        const options = issue.values.map((v) => `'${String(v)}'`).join(', ');
        const near = typeof found === 'string' ? didYouMean(found, issue.values.map(String)) : '';
        out.push({ path, atKey: false, message: `expected one of ${options}, found ${describe(found)}${near}` });
        break;
      }
      case 'invalid_union': {
        const note = (issue as { note?: string }).note;
        const options = (issue as { options?: unknown[] }).options;
        if (note === 'No matching discriminator' && options) {
          const names = options.map(String);
          const slot = path.slice(0, -1);
          const slotValue = valueAt(input, slot);
          // a bare string is shorthand for {type: …}: the string itself is the unknown type
          const typeName = typeof slotValue === 'string' ? slotValue : found === undefined ? undefined : String(found);
          if (typeof slotValue !== 'string' && found !== undefined && typeof found !== 'string') {
            out.push({ path, atKey: false, message: `expected a type name, one of ${names.join(', ')}, found ${describe(found)}` });
            break;
          }
          out.push({
            path: typeof slotValue === 'string' || typeName === undefined ? slot : path,
            atKey: false,
            message: typeName === undefined
              ? `missing key 'type': expected one of ${names.join(', ')}`
              : `unknown type '${typeName}'${didYouMean(typeName, names)}: expected one of ${names.join(', ')}`,
          });
        } else {
          out.push(...unionProblems(issue.errors, path, input, found));
        }
        break;
      }
      case 'not_multiple_of':
        out.push({ path, atKey: false, message: `expected a multiple of ${String(issue.divisor)}, found ${describe(found)}` });
        break;
      case 'custom':
      case 'invalid_format':
        // our own messages (refine, regex) say what is expected
        out.push({ path, atKey: false, message: `${issue.message}, found ${describe(found)}` });
        break;
      default:
        out.push({ path, atKey: false, message: `expected another value, found ${describe(found)}` });
    }
  }
  return out;
}

/** The root type a union branch wanted, when the value failed it on its type alone. */
function typeMiss(branch: readonly z.core.$ZodIssue[]): string | undefined {
  const [first] = branch;
  return branch.length === 1 && first.code === 'invalid_type' && first.path.length === 0
    ? (article[first.expected] ?? first.expected)
    : undefined;
}

/**
 * A value that fits none of a union's branches (a number or a component, a string or a column
 * index): when one branch took its type, that branch's own problems; else the types it may have.
 */
function unionProblems(errors: readonly (readonly z.core.$ZodIssue[])[], path: Path, input: unknown, found: unknown): Problem[] {
  if (found === undefined) return [{ path, atKey: false, message: `missing required key '${String(path[path.length - 1])}'` }];
  const matched = errors.find((branch) => branch.length > 0 && typeMiss(branch) === undefined);
  if (matched) return problemsOf(matched.map((i) => ({ ...i, path: [...path, ...i.path] })), input);
  const kinds = [...new Set(errors.map(typeMiss).filter((k) => k !== undefined))];
  const expected = kinds.length === 0 ? 'another value' : kinds.join(' or ');
  return [{ path, atKey: false, message: `expected ${expected}, found ${describe(found)}` }];
}
