// The self-contained HTML report: inline SVG and CSS, one small script (sorting tables by a
// header click), and a Content-Security-Policy that forbids every request — the file works
// offline, from disk, in any browser. Pure: strings in, a string out.
import { createHash } from 'node:crypto';
import { renumberIds } from './render.js';

export type Cell = string | number | null;

export interface Table {
  headers: string[];
  rows: Cell[][];
  /** Clicking a header sorts the rows by that column (numbers as numbers). */
  sortable?: boolean;
}

export interface Plot {
  name: string;
  svg: string;
}

export interface Section {
  /** The heading, e.g. the folder's path. */
  title: string;
  kind: 'run' | 'sweep';
  /** Short facts shown as a two-column table (status, epochs, method…). */
  facts: [string, string][];
  tables: { caption: string; table: Table }[];
  plots: Plot[];
  /** spec.yaml as given. */
  spec: string;
}

export interface ReportModel {
  title: string;
  /** Where the runs' specs differ (with two runs or more). */
  differences?: Table;
  /** The runs side by side. */
  overview?: Table;
  sections: Section[];
}

const SORT_SCRIPT = `for (const t of document.querySelectorAll('table.sortable')) {
  t.querySelectorAll('th').forEach((th, i) => th.addEventListener('click', () => {
    const up = th.dataset.dir !== 'asc'; t.querySelectorAll('th').forEach((h) => delete h.dataset.dir); th.dataset.dir = up ? 'asc' : 'desc';
    const key = (r) => { const c = r.cells[i]; return c.dataset.v !== undefined ? Number(c.dataset.v) : c.textContent; };
    const order = (x, y) => typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    const rows = [...t.tBodies[0].rows].sort((a, b) => { const x = key(a), y = key(b); if (x === '' || y === '') return (x === '') - (y === ''); return up ? order(x, y) : order(y, x); });
    t.tBodies[0].append(...rows);
  }));
}`;

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}table.sortable th{cursor:pointer;background:#f4f4f4}
th[data-dir=asc]::after{content:" ▲"}th[data-dir=desc]::after{content:" ▼"}
pre{background:#f7f7f7;padding:.6em;overflow:auto;max-height:24em}figure{margin:1em 0;overflow-x:auto}figure svg{max-width:none}`;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Numbers print with up to 6 significant digits; the exact value sorts. */
function cell(c: Cell): string {
  if (c === null) return '<td></td>';
  if (typeof c === 'number') {
    const text = Number.isInteger(c) ? String(c) : Number.isFinite(c) ? String(Number(c.toPrecision(6))) : String(c);
    return `<td class="n" data-v="${Number.isFinite(c) ? c : 0}">${text}</td>`;
  }
  return `<td>${escapeHtml(c)}</td>`;
}

export function tableHtml(t: Table, caption?: string): string {
  const head = `<thead><tr>${t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${t.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}</tbody>`;
  return `<table${t.sortable ? ' class="sortable"' : ''}>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}${head}${body}</table>`;
}

function sectionHtml(s: Section, index: number): string {
  const facts = s.facts.length === 0 ? '' : tableHtml({ headers: ['', ''], rows: s.facts });
  const tables = s.tables.map((t) => `<h3>${escapeHtml(t.caption)}</h3>${tableHtml(t.table)}`).join('\n');
  // ids are document-wide in HTML: each plot's SVG ids get their own prefix
  const plots = s.plots.map((p, j) => `<figure data-plot="${escapeHtml(p.name)}">${renumberIds(p.svg, `s${index}p${j}-`)}</figure>`).join('\n');
  return `<section class="${s.kind}"><h2>${escapeHtml(s.title)}</h2>${facts}${tables}\n${plots}\n<details><summary>spec.yaml</summary><pre>${escapeHtml(s.spec)}</pre></details></section>`;
}

export function reportHtml(r: ReportModel): string {
  const hash = createHash('sha256').update(SORT_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'; form-action 'none'; base-uri 'none'`;
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<title>${escapeHtml(r.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(r.title)}</h1>`,
    r.overview ? `<h2>Runs</h2>${tableHtml(r.overview)}` : '',
    r.differences ? `<h2>Where the specs differ</h2>${r.differences.rows.length === 0 ? '<p>The specs are the same.</p>' : tableHtml(r.differences)}` : '',
    ...r.sections.map(sectionHtml),
    `<script>${SORT_SCRIPT}</script>`,
    '</body></html>',
    '',
  ];
  return parts.filter((p) => p !== '').join('\n');
}
