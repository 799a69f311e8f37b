import { readFileSync } from 'node:fs';
import { BalanceOpsError, describeError } from '../errors.js';

export type Goal = 'max' | 'min';

/**
 * When a candidate replaces the current model. File shape (contract):
 * `{"primary": {"metric": "bal_acc", "min_delta": 0.005}, "guards": [{"metric": "recall_1", "max_drop": 0.01}]}`.
 * `goal` (`max` by default) says which direction is better, for metrics such as `log_loss`.
 */
export interface PromotionPolicy {
  primary: { metric: string; min_delta: number; goal?: Goal };
  guards: { metric: string; max_drop: number; goal?: Goal }[];
}

export interface PolicyDecision {
  promote: boolean;
  reason: string;
}

/** The original BalanceOps rule. */
export const DEFAULT_POLICY: PromotionPolicy = {
  primary: { metric: 'bal_acc', min_delta: 0.005 },
  guards: [{ metric: 'recall_1', max_drop: 0.01 }],
};

const f4 = (v: number) => v.toFixed(4);

// Comparisons go through a small tolerance so that 0.805 >= 0.8 + 0.005 holds despite binary rounding.
const EPS = 1e-12;

/**
 * Applies a policy: promote when there is no current model; otherwise when the primary metric improves by
 * at least `min_delta` and no guard metric worsens by more than its `max_drop`. A metric a model lacks
 * counts as 0, as in the original.
 *
 * @example
 *   decide(DEFAULT_POLICY, { bal_acc: 0.81, recall_1: 0.7 }, { bal_acc: 0.8, recall_1: 0.7 });
 *   // { promote: true, reason: 'improved bal_acc 0.8000->0.8100' }
 */
export function decide(
  policy: PromotionPolicy,
  candidate: Record<string, number>,
  current: Record<string, number> | null,
): PolicyDecision {
  if (current === null) return { promote: true, reason: 'no current model yet' };
  const { metric, min_delta, goal = 'max' } = policy.primary;
  const cand = candidate[metric] ?? 0;
  const curr = current[metric] ?? 0;
  const gain = goal === 'max' ? cand - curr : curr - cand;
  const compared = [`${metric} ${f4(curr)}->${f4(cand)}`];
  let ok = gain + EPS >= min_delta;
  const failedGuards: string[] = [];
  for (const guard of policy.guards) {
    const c = candidate[guard.metric] ?? 0;
    const p = current[guard.metric] ?? 0;
    compared.push(`${guard.metric} ${f4(p)}->${f4(c)}`);
    const drop = (guard.goal ?? 'max') === 'max' ? p - c : c - p;
    if (drop > guard.max_drop + EPS) {
      ok = false;
      failedGuards.push(`${guard.metric} worsened by ${f4(drop)} > ${guard.max_drop}`);
    }
  }
  if (ok) return { promote: true, reason: `improved ${metric} ${f4(curr)}->${f4(cand)}` };
  const why = [...compared, ...failedGuards].join(', ');
  return { promote: false, reason: `not enough improvement (${why})` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readGoal(value: unknown, where: string): Goal | undefined {
  if (value === undefined) return undefined;
  if (value !== 'max' && value !== 'min') throw new Error(`${where}.goal must be "max" or "min"`);
  return value;
}

function readThreshold(value: unknown, where: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where} must be a non-negative number`);
  }
  return value;
}

/** Checks a parsed policy document; throws an Error naming the offending field. */
export function parsePolicy(value: unknown): PromotionPolicy {
  if (!isRecord(value)) throw new Error('the policy must be a JSON object');
  const primary = value.primary;
  if (!isRecord(primary) || typeof primary.metric !== 'string' || primary.metric.trim() === '') {
    throw new Error(
      'the policy names no metric: expected {"primary": {"metric": "<name>", "min_delta": 0.005}}',
    );
  }
  const guardsValue = value.guards ?? [];
  if (!Array.isArray(guardsValue)) throw new Error('guards must be an array');
  const guards = guardsValue.map((g, i) => {
    if (!isRecord(g) || typeof g.metric !== 'string' || g.metric.trim() === '') {
      throw new Error(`guards[${i}] names no metric`);
    }
    const goal = readGoal(g.goal, `guards[${i}]`);
    return {
      metric: g.metric,
      max_drop: readThreshold(g.max_drop, `guards[${i}].max_drop`, 0),
      ...(goal ? { goal } : {}),
    };
  });
  const goal = readGoal(primary.goal, 'primary');
  return {
    primary: {
      metric: primary.metric,
      min_delta: readThreshold(primary.min_delta, 'primary.min_delta', 0),
      ...(goal ? { goal } : {}),
    },
    guards,
  };
}

/** Loads a policy file, or the default when `path` is undefined; errors name the file. */
export function loadPolicy(path: string | undefined): PromotionPolicy {
  if (path === undefined) return DEFAULT_POLICY;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BalanceOpsError('POLICY_INVALID', `cannot read policy file ${path}: ${describeError(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BalanceOpsError(
      'POLICY_INVALID',
      `policy file ${path} is not valid JSON (${describeError(err)})`,
    );
  }
  try {
    return parsePolicy(value);
  } catch (err) {
    throw new BalanceOpsError('POLICY_INVALID', `policy file ${path}: ${describeError(err)}`, {
      hint: 'Expected {"primary": {"metric": "bal_acc", "min_delta": 0.005}, "guards": [{"metric": "recall_1", "max_drop": 0.01}]}',
    });
  }
}
