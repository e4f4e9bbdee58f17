// CSV (RFC 4180): comma-separated fields, optionally in double quotes with "" for a quote and
// line breaks inside quotes; CRLF or LF. Each record keeps the line it starts on, for messages.
import { DataError } from '../../common/errors.js';

export interface CsvRecord {
  line: number;
  fields: string[];
}

export function parseCsv(text: string, file: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
      atFieldStart = true;
    } else {
      field += ch;
      if (ch !== ' ' && ch !== '\t') atFieldStart = false;
    }
  }
  if (quoted) throw new DataError(`${file}:${start}: a quoted field is not closed`);
  fields.push(field);
  if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ line: start, fields });
  return records;
}

/** The markers of a missing value (after trimming): empty, ?, NA, NaN. */
export function isMissing(field: string): boolean {
  const f = field.trim();
  return f === '' || f === '?' || f === 'NA' || f === 'NaN';
}
