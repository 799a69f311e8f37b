import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { megabytes, ProgressBar } from './progress.js';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, target: { isTTY, columns: 60, write: (text: string) => writes.push(text) > 0 } };
}

describe('ProgressBar', () => {
  it('draws one self-erasing line on a terminal, and clears it', () => {
    const { writes, target } = terminal(true);
    const bar = new ProgressBar(target, true);
    bar.update('loading', 0.5, megabytes(12_345_678));
    assert.equal(writes.length, 1);
    assert.equal(writes[0], `\rloading [${'#'.repeat(12)}${'-'.repeat(12)}]  50%  12.3 MB\x1b[K`);
    bar.update('loading', 0.6);
    assert.equal(writes.length, 1, 'redraws are throttled');
    bar.clear();
    assert.equal(writes.at(-1), '\r\x1b[K');
  });

  it('stays silent off a terminal or when not wanted (--json)', () => {
    for (const [isTTY, wanted] of [
      [false, true],
      [true, false],
    ] as const) {
      const { writes, target } = terminal(isTTY);
      const bar = new ProgressBar(target, wanted);
      bar.update('fitting', null, 'iteration 3');
      bar.clear();
      assert.deepEqual(writes, []);
    }
  });
});
