import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colors } from './color.js';

test('colours are the ANSI codes a terminal expects (chalk), and nothing when off', async () => {
  const c = await colors(1);
  assert.equal(c.bold('epoch'), '\x1b[1mepoch\x1b[22m');
  assert.equal(c.red('error'), '\x1b[31merror\x1b[39m');
  assert.equal(c.green('done'), '\x1b[32mdone\x1b[39m');
  assert.equal(c.yellow('warning'), '\x1b[33mwarning\x1b[39m');
  assert.equal(c.cyan('val_loss'), '\x1b[36mval_loss\x1b[39m');
  // an inner colour's reset reopens the outer one; each line is closed and reopened
  assert.equal(c.red(`a ${c.green('b')} c`), '\x1b[31ma \x1b[32mb\x1b[39m\x1b[31m c\x1b[39m');
  assert.equal(c.yellow('one\ntwo'), '\x1b[33mone\x1b[39m\n\x1b[33mtwo\x1b[39m');
  const off = await colors(0);
  assert.equal(off.bold('epoch') + off.red('error') + off.cyan('x'), 'epocherrorx');
});
