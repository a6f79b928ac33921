/**
 * OWASP's CSV injection rule: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is a
 * formula to Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)`, `=1+cmd|' /C calc'!A0`,
 * `@SUM(…)`), so such a cell gets a leading apostrophe, which spreadsheets read as "this is text".
 * See https://owasp.org/www-community/attacks/CSV_Injection and ASVS 1.2.10.
 * A plain signed number (`-7,5`, `-7.5`) cannot run anything and is left alone, so that a negative
 * amount still opens as a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

export function csvCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}
