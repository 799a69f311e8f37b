import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers.js';
import { isBalanceOpsError } from '../errors.js';
import { DEFAULT_POLICY, decide, loadPolicy } from './policy.js';

describe('decide (default policy: the original rule)', () => {
  it('promotes when there is no current model', () => {
    assert.deepEqual(decide(DEFAULT_POLICY, { bal_acc: 0.1 }, null), {
      promote: true,
      reason: 'no current model yet',
    });
  });

  it('promotes on a large enough bal_acc gain without a recall drop beyond 0.01', () => {
    const d = decide(DEFAULT_POLICY, { bal_acc: 0.805, recall_1: 0.69 }, { bal_acc: 0.8, recall_1: 0.7 });
    assert.deepEqual(d, { promote: true, reason: 'improved bal_acc 0.8000->0.8050' });
  });

  it('declines a gain below min_delta, naming the compared values', () => {
    const d = decide(DEFAULT_POLICY, { bal_acc: 0.804, recall_1: 0.7 }, { bal_acc: 0.8, recall_1: 0.7 });
    assert.equal(d.promote, false);
    assert.equal(d.reason, 'not enough improvement (bal_acc 0.8000->0.8040, recall_1 0.7000->0.7000)');
  });

  it('declines when the recall guard is broken even if bal_acc improves', () => {
    const d = decide(DEFAULT_POLICY, { bal_acc: 0.9, recall_1: 0.68 }, { bal_acc: 0.8, recall_1: 0.7 });
    assert.equal(d.promote, false);
    assert.match(d.reason, /^not enough improvement \(.*recall_1 worsened by 0\.0200 > 0\.01\)$/);
  });

  it('treats a missing metric as 0, as the original did', () => {
    assert.equal(decide(DEFAULT_POLICY, { bal_acc: 0.5 }, {}).promote, true);
    assert.equal(decide(DEFAULT_POLICY, {}, { bal_acc: 0.5 }).promote, false);
  });

  it('honours goal "min" for metrics where lower is better', () => {
    const policy = { primary: { metric: 'log_loss', min_delta: 0.01, goal: 'min' as const }, guards: [] };
    assert.equal(decide(policy, { log_loss: 0.3 }, { log_loss: 0.35 }).promote, true);
    assert.equal(decide(policy, { log_loss: 0.345 }, { log_loss: 0.35 }).promote, false);
  });
});

describe('loadPolicy', () => {
  const dir = tempDir();
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('returns the default without a file and reads a valid file', () => {
    assert.equal(loadPolicy(undefined), DEFAULT_POLICY);
    const p = loadPolicy(
      file(
        'ok.json',
        '{"primary": {"metric": "roc_auc", "min_delta": 0.01}, "guards": [{"metric": "f1", "max_drop": 0.02}]}',
      ),
    );
    assert.deepEqual(p, {
      primary: { metric: 'roc_auc', min_delta: 0.01 },
      guards: [{ metric: 'f1', max_drop: 0.02 }],
    });
  });

  it('names the file when it is not JSON, names no metric, or has a bad threshold', () => {
    const cases: [string, string, RegExp][] = [
      ['bad.json', '{"primary": ', /not valid JSON/],
      ['nometric.json', '{"primary": {"min_delta": 0.01}}', /names no metric/],
      ['empty.json', '{}', /names no metric/],
      [
        'guard.json',
        '{"primary": {"metric": "a"}, "guards": [{"max_drop": 1}]}',
        /guards\[0\] names no metric/,
      ],
      [
        'neg.json',
        '{"primary": {"metric": "a", "min_delta": -1}}',
        /min_delta must be a non-negative number/,
      ],
    ];
    for (const [name, text, pattern] of cases) {
      const path = file(name, text);
      assert.throws(
        () => loadPolicy(path),
        (err) =>
          isBalanceOpsError(err, 'POLICY_INVALID') && err.message.includes(path) && pattern.test(err.message),
        name,
      );
    }
    assert.throws(
      () => loadPolicy(join(dir, 'missing.json')),
      (err) => isBalanceOpsError(err, 'POLICY_INVALID'),
    );
  });
});
