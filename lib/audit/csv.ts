/**
 * CSV cells and rows per RFC 4180 (CRLF line ends; a field holding a comma, quote, CR or LF is quoted and its
 * quotes doubled), made safe to open in a spreadsheet: a cell that begins with =, +, -, @, tab or carriage
 * return would be read as a formula, so it is prefixed with a single quote.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}
