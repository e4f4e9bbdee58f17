// What the labels of a dataset look like, for messages that describe the data instead of
// guessing a fix: one class only, class indices with no sample (a corrupt index such as 200
// among 0–9), and rare values that are more likely typos than classes.
import { DataError } from '../common/errors.js';
import type { LoadedData } from './dataset.js';

/** Where a label comes from, for messages: a file and, per row of train.y, its line or record. */
export interface LabelOrigin {
  file: string;
  /** e.g. `data.csv:77` or `labels.idx, record 1,235`. */
  where(row: number): string;
  /** The labels are class indices in a file (IDX), not names. */
  indices?: boolean;
}

interface LabelCount {
  name: string;
  count: number;
  /** Row of train.y where it first occurs. */
  first: number;
}

const n = (v: number) => v.toLocaleString('en-US');

function countLabels(y: Int32Array, classes: readonly string[]): LabelCount[] {
  const counts = classes.map((name) => ({ name, count: 0, first: -1 }));
  y.forEach((c, row) => {
    const entry = counts[c];
    if (!entry) return;
    if (entry.count++ === 0) entry.first = row;
  });
  return counts;
}

/** A class with at most 5 % of the largest class's samples: a typo more often than a class. */
const isRare = (c: LabelCount, largest: number) => c.count > 0 && largest >= 20 && c.count * 20 <= largest;

/** The label values found, with counts; rare ones with where they first occur. */
export function describeLabels(y: Int32Array, classes: readonly string[], origin?: LabelOrigin): { text: string; rare: string[] } {
  const counts = countLabels(y, classes).filter((c) => c.count > 0);
  const largest = Math.max(0, ...counts.map((c) => c.count));
  const rare = counts.filter((c) => isRare(c, largest));
  const common = counts.filter((c) => !isRare(c, largest));
  const at = (c: LabelCount) => (origin ? `, first at ${origin.where(c.first)}` : '');
  const rareText = rare.map((c) => `'${c.name}' (${n(c.count)} sample${c.count === 1 ? '' : 's'}${at(c)})`);
  let commonText: string;
  if (common.length <= 12) commonText = common.map((c) => `'${c.name}' (${n(c.count)})`).join(', ');
  else {
    const sizes = common.map((c) => c.count);
    commonText = `${common.length} values with ${n(Math.min(...sizes))} to ${n(Math.max(...sizes))} samples each`;
  }
  const text = `the labels found are ${commonText}${rare.length > 0 ? `, and rare: ${rareText.join(', ')}` : ''}`;
  return { text, rare: rare.map((c) => c.name) };
}

/** Data no classifier can learn from, or whose labels are evidently damaged: a DataError. */
export function checkLabels(loaded: LoadedData, origin = loaded.labelOrigin): void {
  const { y } = loaded.train;
  const file = origin?.file ?? loaded.source;
  const counts = countLabels(y, loaded.classes);
  const used = counts.filter((c) => c.count > 0);
  if (y.length > 0 && used.length === 1) {
    throw new DataError(`${file}: every sample has the label '${used[0].name}' (${n(y.length)} samples); a classifier needs at least two classes: is the target the right column, or the right file?`);
  }
  if (!origin?.indices) return;
  // class indices: a class list from 0 to the largest index, some of which no sample has
  const empty = counts.filter((c) => c.count === 0);
  if (empty.length === 0) return;
  const { text, rare } = describeLabels(y, loaded.classes, origin);
  const which = ranges(empty.map((c) => Number(c.name)));
  const none = `class${empty.length === 1 ? '' : 'es'} ${which} ${empty.length === 1 ? 'has' : 'have'} no sample`;
  const advice = rare.length > 0
    ? `${rare.map((r) => `'${r}'`).join(', ')} ${rare.length === 1 ? 'looks like a corrupt label' : 'look like corrupt labels'}: fix the labels file, or, if every index is a class, list the class names in data.dataset.classes`
    : 'if that is intended, list the class names in data.dataset.classes';
  throw new DataError(`${file}: ${text}; ${none}: ${advice}`);
}

/** Sorted integers as runs: 2, 5–7, 10–199. */
function ranges(values: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j] + 1) j++;
    parts.push(j === i ? String(values[i]) : `${values[i]}–${values[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
