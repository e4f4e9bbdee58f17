import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colors } from './color.js';

test('colours are the ANSI codes a terminal expects, and nothing when off', () => {
  const c = colors(true);
  assert.equal(c.bold('epoch'), '\x1b[1mepoch\x1b[22m');
  assert.equal(c.red('error'), '\x1b[31merror\x1b[39m');
  assert.equal(c.green('done'), '\x1b[32mdone\x1b[39m');
  assert.equal(c.yellow('warning'), '\x1b[33mwarning\x1b[39m');
  assert.equal(c.cyan('val_loss'), '\x1b[36mval_loss\x1b[39m');
  assert.equal(c.red(''), '');
  const off = colors(false);
  assert.equal(off.bold('epoch') + off.red('error') + off.cyan('x'), 'epocherrorx');
});

test('a coloured text keeps its colour after an inner reset and on every line', () => {
  const c = colors(true);
  // the inner green ends with the reset of the foreground colour: red goes on after it
  assert.equal(c.red(`a ${c.green('b')} c`), '\x1b[31ma \x1b[32mb\x1b[39m\x1b[31m c\x1b[39m');
  // each line closes and reopens, so that a pager or a cut line shows no colour bleeding over
  assert.equal(c.yellow('one\ntwo'), '\x1b[33mone\x1b[39m\n\x1b[33mtwo\x1b[39m');
  assert.equal(c.bold('one\r\ntwo'), '\x1b[1mone\x1b[22m\r\n\x1b[1mtwo\x1b[22m');
});
