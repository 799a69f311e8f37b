import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categoryLevel, isMissingCell, parseNumberCell } from './cells.js';
import { Rng } from './random.js';

describe('parseNumberCell', () => {
  it('reads decimal notation to the very double Number() gives', () => {
    const rng = new Rng(11);
    for (let k = 0; k < 20_000; k++) {
      const digits = 1 + rng.int(18);
      let text = '';
      for (let q = 0; q < digits; q++) text += String(rng.int(10));
      const dot = rng.int(digits + 2);
      if (dot <= digits) text = `${text.slice(0, dot)}.${text.slice(dot)}`;
      if (rng.bernoulli(0.5)) text = `-${text}`;
      if (rng.bernoulli(0.1)) text = `${text}e${rng.int(40) - 20}`;
      assert.ok(Object.is(parseNumberCell(text), Number(text)), text);
    }
  });

  it('accepts signs, a bare dot side and surrounding spaces', () => {
    assert.equal(parseNumberCell('+5'), 5);
    assert.equal(parseNumberCell('5.'), 5);
    assert.equal(parseNumberCell('.5'), 0.5);
    assert.equal(parseNumberCell(' 3 '), 3);
    assert.ok(Object.is(parseNumberCell('-0'), -0));
  });

  it('rejects what is not a decimal number', () => {
    for (const text of [
      '',
      ' ',
      '.',
      '-',
      '0x10',
      '0b1',
      '0o7',
      'Infinity',
      '-Infinity',
      'NaN',
      '1_000',
      '1.2.3',
      'abc',
      '1e',
      '12a',
    ]) {
      assert.equal(parseNumberCell(text), undefined, JSON.stringify(text));
    }
  });
});

describe('isMissingCell / categoryLevel', () => {
  it('treats blanks and the usual NA tokens as missing, and nothing else', () => {
    for (const text of ['', '  ', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '<NA>'])
      assert.equal(isMissingCell(text), true, text);
    for (const text of ['0', 'none', 'RENT', 'false']) assert.equal(isMissingCell(text), false, text);
  });

  it('keeps text as written and writes numbers one canonical way', () => {
    assert.equal(categoryLevel('RENT'), 'RENT');
    assert.equal(categoryLevel(' RENT'), ' RENT');
    assert.equal(categoryLevel('1.50'), '1.5');
    assert.equal(categoryLevel('007'), '7');
    assert.equal(categoryLevel('1e3'), '1000');
  });
});
