/**
 * Writes the synthetic credit-risk dataset of the README (`credit-risk.csv` beside this file): loan
 * applicants with numeric and categorical columns, a binary `default` target drawn from a known logistic
 * rule, and a few empty cells so that dropna has work to do. Seeded: the same bytes on every machine.
 *
 *   node --import tsx examples/credit-risk/generate.ts [--rows 3000] [--seed 7] [--out path.csv]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '../../src/util/random.js';

const HOME = ['RENT', 'MORTGAGE', 'OWN'] as const;
const PURPOSE = [
  'debt_consolidation',
  'credit_card',
  'home_improvement',
  'car',
  'medical',
  'major_purchase',
] as const;
const COLUMNS = [
  'age',
  'employment_years',
  'annual_income',
  'loan_amount',
  'interest_rate',
  'debt_to_income',
  'delinquencies',
  'credit_score',
  'home_ownership',
  'purpose',
  'default',
];
/** Share of rows with one empty cell. */
const MISSING_RATE = 0.04;

function pick<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let u = rng.uniform() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** One applicant as CSV cells, and whether they defaulted. */
function applicant(rng: Rng): string[] {
  const age = Math.round(clamp(21 + Math.abs(rng.normal()) * 16, 21, 70));
  const employment = clamp((age - 21) * rng.uniform() * 0.9, 0, 35);
  const income = Math.round(clamp(Math.exp(10.9 + 0.45 * rng.normal()), 15_000, 250_000));
  const loan = Math.round(clamp(income * (0.1 + 0.25 * rng.uniform()) + 4000 * rng.normal(), 1000, 60_000));
  const score = Math.round(clamp(680 + 55 * rng.normal() + 1.5 * employment, 480, 850));
  const rate = clamp(0.3 - (score - 480) / 1800 + 0.03 * rng.normal(), 0.04, 0.32);
  const dti = clamp(0.22 + 0.09 * rng.normal() + loan / income / 6, 0, 0.65);
  const delinquencies = Math.min(6, Math.floor(-Math.log(1 - rng.uniform()) * (score < 640 ? 1.2 : 0.4)));
  const home = pick(rng, HOME, [0.45, 0.4, 0.15]);
  const purpose = pick(rng, PURPOSE, [0.38, 0.22, 0.12, 0.12, 0.06, 0.1]);
  // the known rule behind the labels: what a fitted model should rediscover
  const z =
    -1.1 -
    0.012 * (score - 680) +
    5.5 * (dti - 0.25) +
    6 * (rate - 0.15) +
    0.45 * delinquencies -
    0.35 * Math.log(income / 55_000) -
    0.03 * (employment - 8) +
    (home === 'RENT' ? 0.35 : home === 'OWN' ? -0.3 : 0) +
    (purpose === 'medical' ? 0.5 : purpose === 'car' ? -0.25 : 0);
  const defaulted = rng.bernoulli(1 / (1 + Math.exp(-z)));
  const cells = [
    String(age),
    employment.toFixed(1),
    String(income),
    String(loan),
    rate.toFixed(3),
    dti.toFixed(3),
    String(delinquencies),
    String(score),
    home,
    purpose,
    String(defaulted),
  ];
  if (rng.uniform() < MISSING_RATE) {
    // an empty cell in a feature column (never the target): the row is dropped by dropna
    cells[rng.int(cells.length - 1)] = '';
  }
  return cells;
}

/**
 * The dataset as CSV text.
 *
 * @example
 *   const csv = creditRiskCsv(3000, 7); // header + 3000 rows
 */
export function creditRiskCsv(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = [COLUMNS.join(',')];
  for (let i = 0; i < rows; i++) lines.push(applicant(rng).join(','));
  return `${lines.join('\n')}\n`;
}

export const DEFAULT_ROWS = 3000;
export const DEFAULT_SEED = 7;
export const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), 'credit-risk.csv');

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: String(DEFAULT_ROWS) },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      out: { type: 'string', default: DEFAULT_OUT },
    },
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(seed) || seed < 0) {
    console.error('usage: generate.ts [--rows N >= 1] [--seed N >= 0] [--out FILE]');
    process.exit(2);
  }
  writeFileSync(values.out, creditRiskCsv(rows, seed));
  console.log(`wrote ${values.out} (${rows} rows, seed ${seed})`);
}
