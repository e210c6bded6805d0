/** Colour by the conventions (NO_COLOR, FORCE_COLOR, TTY), and never a coloured span across a newline. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareResults } from '../../../harness/baseline/compare.js';
import { colourLevel, renderTable, terminalChalk } from '../../../harness/report/terminal.js';
import { measuredBaseline, okCase, results } from '../baseline/fixtures.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

test('NO_COLOR only when non-empty; FORCE_COLOR forces colour even when piped; 0/false turn it off', () => {
  assert.is(colourLevel(tty, {}), 1);
  assert.is(colourLevel(pipe, {}), 0);
  assert.is(colourLevel(tty, { NO_COLOR: '1' }), 0);
  assert.is(colourLevel(tty, { NO_COLOR: '' }), 1, 'an empty NO_COLOR is as if unset');
  assert.is(colourLevel(pipe, { FORCE_COLOR: '1' }), 1, 'FORCE_COLOR wins over a pipe');
  assert.is(colourLevel(pipe, { FORCE_COLOR: '3' }), 3);
  assert.is(colourLevel(tty, { FORCE_COLOR: '0' }), 0);
  assert.is(colourLevel(tty, { FORCE_COLOR: '' }), 1, 'an empty FORCE_COLOR is as if unset');
  assert.is(colourLevel(tty, { TERM: 'dumb' }), 0);
});

test('a coloured table resets every style before each newline', () => {
  const base = results([okCase()]);
  const r = results([okCase({ qps: 80, mean: 12.5, notes: ['a note\nwith a newline inside'] })]);
  r.gate = compareResults(r, [measuredBaseline(base)]);
  const text = renderTable(r, terminalChalk(pipe, { FORCE_COLOR: '1' }));
  assert.match(text, /\x1b\[31m/, 'coloured although piped');
  for (const line of text.split('\n')) {
    const codes = [...line.matchAll(/\x1b\[(\d+)m/g)].map((m) => Number(m[1]));
    const open = codes.filter((c) => ![0, 22, 23, 24, 27, 28, 29, 39, 49].includes(c)).length;
    const close = codes.length - open;
    assert.ok(close >= open, `a style left open at the end of: ${JSON.stringify(line)}`);
  }
});

test.run();
