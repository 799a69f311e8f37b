import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers.js';
import { isBalanceOpsError } from '../errors.js';
import { DummyModel, dummyDocument } from './dummy.js';
import { loadModel, saveModel } from './load.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('DummyModel', () => {
  const model = new DummyModel([0.5, -1, 2], 0.1);

  it('scores sigmoid(x . w + b) and expects len(w) features', () => {
    assert.equal(model.nFeatures, 3);
    assert.equal(model.predictOne([1, 1, 1]), sigmoid(0.5 - 1 + 2 + 0.1));
  });

  it('uses the first weights for a short input and zero weights past the end of a long one', () => {
    assert.equal(model.predictOne([2]), sigmoid(1 + 0.1));
    assert.equal(model.predictOne([1, 1, 1, 100, -100]), model.predictOne([1, 1, 1]));
  });

  it('clips probabilities to [1e-6, 1 - 1e-6]', () => {
    assert.equal(model.predictOne([0, 0, 1000]), 1 - 1e-6);
    assert.equal(model.predictOne([0, 0, -1000]), 1e-6);
    assert.deepEqual(
      model.predictProba([
        [0, 0, -1000],
        [0, 0, 1000],
      ]),
      [1e-6, 1 - 1e-6],
    );
  });
});

describe('loadModel', () => {
  const dir = tempDir();

  it('round-trips a saved model exactly', () => {
    const path = join(dir, 'm.json');
    const weights = [0.1 + 0.2, Math.PI, -1e-300, 123456789.12345679, 1 / 3];
    saveModel(path, dummyDocument(weights, Math.E, 42));
    const loaded = loadModel(path);
    assert.equal(loaded.type, 'dummy');
    assert.equal(loaded.nFeatures, 5);
    const x = [1, 2, 3, 4e-9, 5];
    assert.equal(loaded.predictOne(x), new DummyModel(weights, Math.E).predictOne(x));
  });

  it('rejects bad files with an error naming the file and the problem', () => {
    const cases: [string, string, RegExp][] = [
      ['corrupt.json', '{"format": "balanceops.model", "vers', /not valid JSON/],
      ['array.json', '[1, 2]', /not a JSON object/],
      ['format.json', '{"format": "onnx", "version": 1, "type": "dummy"}', /format is "onnx"/],
      [
        'version.json',
        '{"format": "balanceops.model", "version": 2, "type": "dummy"}',
        /version 2 is not supported/,
      ],
      [
        'type.json',
        '{"format": "balanceops.model", "version": 1, "type": "xgboost"}',
        /unknown model type "xgboost"/,
      ],
      [
        'weights.json',
        '{"format": "balanceops.model", "version": 1, "type": "dummy", "weights": [1, "a"], "bias": 0}',
        /weights\[1\] must be a finite number/,
      ],
      [
        'bias.json',
        '{"format": "balanceops.model", "version": 1, "type": "dummy", "weights": [1]}',
        /bias must be a finite number/,
      ],
    ];
    for (const [name, text, pattern] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text);
      assert.throws(
        () => loadModel(path),
        (err) =>
          isBalanceOpsError(err, 'MODEL_INVALID') && err.message.includes(path) && pattern.test(err.message),
        name,
      );
    }
    const missing = join(dir, 'missing.json');
    assert.throws(
      () => loadModel(missing),
      (err) => isBalanceOpsError(err, 'MODEL_INVALID') && err.message.includes(missing),
    );
  });
});
