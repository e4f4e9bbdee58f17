import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpecError } from '../../common/errors.js';
import { parseQueueUrl, queueName, redactArgv, redactUrl } from './connection.js';

test('redis URLs: host, port, db, user, password, TLS', () => {
  const a = parseQueueUrl('redis://alice:s%40cret@example.org:6380/2');
  assert.deepEqual([a.options.host, a.options.port, a.options.db, a.options.username, a.options.password, a.options.tls], ['example.org', 6380, 2, 'alice', 's@cret', undefined]);
  assert.equal(a.shown, 'redis://alice:***@example.org:6380/2');
  const b = parseQueueUrl('rediss://:pw@10.0.0.1');
  assert.deepEqual([b.options.port, b.options.db, b.options.password, b.options.tls], [6379, 0, 'pw', {}]);
  assert.equal(parseQueueUrl('redis://h:1', '--queue', 'from-env').options.password, 'from-env');
  assert.equal(parseQueueUrl('redis://:url@h:1', '--queue', 'from-env').options.password, 'url');
  assert.equal(parseQueueUrl('redis://[::1]:7000').options.host, '::1');
});

test('bad redis URLs are refused without echoing the password', () => {
  for (const bad of ['localhost:6379', 'http://h:1', 'redis://h:1/x', 'redis://:secret@h:1/-1']) {
    assert.throws(() => parseQueueUrl(bad), (e: unknown) => e instanceof SpecError && !e.message.includes('secret'), bad);
  }
});

test('passwords are hidden in argv and messages', () => {
  assert.equal(redactUrl('redis://u:p@h:1'), 'redis://u:***@h:1');
  assert.deepEqual(redactArgv(['sweep', 'x.yaml', '--queue', 'rediss://:hunter2@h:6379/1', '--queue=redis://a:b@c']), ['sweep', 'x.yaml', '--queue', 'rediss://:***@h:6379/1', '--queue=redis://a:***@c']);
});

test('a queue is named after its sweep and sweep folder, with characters BullMQ allows', () => {
  assert.equal(queueName('iris grid', '/runs/iris grid/sweep-20261128-101500-a1b2c3'), 'dlx.iris_grid.sweep-20261128-101500-a1b2c3');
});
