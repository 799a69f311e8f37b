/**
 * How one text cell of a table reads: as a number, as missing, or as a category level. Shared by the CSV
 * loader (training) and the tabular model (serving), so that a value means the same thing in both.
 */

/** Texts that mean "no value", as pandas reads them by default (the empty cell included). */
const MISSING_TOKENS = new Set([
  '',
  'NA',
  'N/A',
  'n/a',
  'NaN',
  'nan',
  '-NaN',
  '-nan',
  'null',
  'NULL',
  'None',
  '#N/A',
  '<NA>',
]);

const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
// 10^k for k <= 22 are exact doubles
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const FAST_DIGITS = 15;

/**
 * The number a cell holds in plain decimal notation (`12`, `-0.5`, `1e-3`, surrounding spaces allowed), or
 * `undefined`. Hex, binary, `Infinity`, `NaN` and blank cells are not numbers.
 *
 * @example
 *   parseNumberCell('3.50'); // 3.5
 *   parseNumberCell('0x10'); // undefined
 */
export function parseNumberCell(text: string): number | undefined {
  // Fast path, the bulk of any numeric file: [+-]digits[.digits] with at most 15 digits. The digits form
  // an exact integer and 10^k is exact, so one division rounds correctly: the very double Number() gives.
  const len = text.length;
  let i = 0;
  let negative = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 45) {
    negative = true;
    i = 1;
  } else if (c0 === 43) {
    i = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let dot = false;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) fraction++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (i === len && digits > 0 && digits <= FAST_DIGITS) {
    const value = mantissa / (POW10[fraction] as number);
    return negative ? -value : value;
  }
  return parseSlow(text);
}

/** Exponents, spaces, long mantissas: Number() does the rounding, the pattern rules out hex and blanks. */
function parseSlow(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) && DECIMAL.test(text) ? value : undefined;
}

/**
 * Whether a cell that is not a number means "no value" (`''`, `NA`, `NaN`, `null`, ...).
 *
 * @example
 *   isMissingCell('NA'); // true
 */
export function isMissingCell(text: string): boolean {
  return MISSING_TOKENS.has(text) || text.trim() === '';
}

/**
 * The category level a text stands for. Text is kept as written, except that numbers are written the one
 * canonical way, so `1.50` in a file and `1.5` (or the JSON number 1.5) in a request are the same level.
 *
 * @example
 *   categoryLevel('RENT'); // 'RENT'
 *   categoryLevel('1.50'); // '1.5'
 */
export function categoryLevel(text: string): string {
  const n = parseNumberCell(text);
  return n === undefined ? text : String(n);
}
