// Reading the structure of a Vega SVG in tests: titles, axis titles, and mark counts.

/** Text of every element with the given role (title-text, axis-title, axis-label, legend-label). */
export function texts(svg: string, role: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(new RegExp(`<g class="mark-text role-${role}"[^>]*>((?:<text[^>]*>[^<]*</text>)*)`, 'g'))) {
    for (const t of m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)) out.push(t[1].replace(/&amp;/g, '&').replace(/&#x27;|&apos;/g, "'"));
  }
  return out;
}

/** Text of every text mark's items (counts in cells, notes under panel titles), in order. */
export function markTexts(svg: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(/<g class="mark-text role-mark[^"]*"[^>]*>((?:<text[^>]*>[^<]*<\/text>)*)/g)) {
    for (const t of m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)) out.push(t[1]);
  }
  return out;
}

/** For each mark group of the type (line, rule, rect, symbol, text), how many items it draws (0 for an empty group). */
export function markItems(svg: string, type: string): number[] {
  const out: number[] = [];
  // an empty group is written self-closed (a layer whose data has no rows for this panel)
  for (const m of svg.matchAll(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*?(?:/>|>(.*?)</g>)`, 'g'))) {
    out.push((m[1]?.match(/<(path|line|text)\b/g) ?? []).length);
  }
  return out;
}

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
