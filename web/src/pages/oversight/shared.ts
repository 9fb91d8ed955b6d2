export interface SystemRow {
  id: string;
  name: string;
  version: number;
  state: string;
}

/** The header of a CSV file, read in the browser: the person picks columns from it instead of typing names. */
export function csvHeader(text: string): string[] {
  const nl = text.search(/\r?\n/);
  const first = nl < 0 ? text : text.slice(0, nl);
  return first
    .split(',')
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean);
}
