// The Redis a sweep's queue lives on: `redis://[user:pass@]host:port[/db]` or `rediss://` (TLS),
// read into ioredis options, and the same address with the password hidden for anything printed
// or written (journal, env.json, logs).
import type { RedisOptions } from 'ioredis';
import { SpecError } from '../../common/errors.js';

export interface QueueAddress {
  options: RedisOptions;
  /** The URL without its password, for messages and files. */
  shown: string;
}

/** ioredis retries forever with this backoff (ms); the coordinator gives up after its own timeout. */
const backoff = (times: number) => Math.min(100 * times, 2000);

/** `password` (from DLX_REDIS_PASSWORD) is used when the URL has none: then no `ps` shows it. */
export function parseQueueUrl(text: string, option = '--queue', password?: string): QueueAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SpecError([`${option}: '${redactUrl(text)}' is not a URL: expected redis://[user:password@]host:port[/db] or rediss://… for TLS`]);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new SpecError([`${option}: expected a redis:// or rediss:// URL, found ${url.protocol}//`]);
  }
  const db = url.pathname === '' || url.pathname === '/' ? 0 : Number(url.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0 || db > 1000) throw new SpecError([`${option}: the database '${url.pathname.slice(1)}' is not a number from 0 to 1000`]);
  if (url.hostname === '') throw new SpecError([`${option}: the URL names no host`]);
  const options: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password ? { password: decodeURIComponent(url.password) } : password ? { password } : {}),
    // TLS: the server's certificate is checked against Node's CAs (NODE_EXTRA_CA_CERTS adds one)
    ...(url.protocol === 'rediss:' && { tls: {} }),
    // BullMQ needs commands to wait through a reconnect rather than fail
    maxRetriesPerRequest: null,
    retryStrategy: backoff,
  };
  return { options, shown: redactUrl(text) };
}

/** A URL with its password replaced by ***; anything unparsable loses everything after '//'. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return text.replace(/\/\/.*$/, '//…');
  }
}

/** argv with every redis URL's password hidden (it goes into env.json). */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((a) => a.replace(/rediss?:\/\/[^\s]*/g, (u) => redactUrl(u)));
}

/** The BullMQ queue of a sweep folder: named after the sweep and its folder (no ':' allowed). */
export function queueName(sweepName: string, sweepDir: string): string {
  const folder = sweepDir.split(/[\\/]/).filter(Boolean).pop() ?? '';
  return `dlx.${sweepName}.${folder}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 200);
}

/** Redis keys beside BullMQ's own (all under dlx:). */
export const keys = {
  /** A set of the queues that have a coordinator; workers serve these. */
  sweeps: 'dlx:sweeps',
  /** A data file, content-addressed. */
  blob: (sha256: string) => `dlx:blob:${sha256}`,
  /** The stream of worker → coordinator messages of one sweep. */
  events: (queue: string) => `dlx:events:${queue}`,
  /** The pruning decision for one epoch of one delivery of a job (a list the worker pops). */
  decision: (queue: string, jobId: string, token: string, epoch: number) => `dlx:decision:${queue}:${jobId}:${token}:${epoch}`,
  /** A finished trial's files (a bundle, files.ts), per delivery of its job. */
  result: (queue: string, jobId: string, delivery: string) => `dlx:result:${queue}:${jobId}:${delivery}`,
  /** Jobs a worker refused, newest first (bounded). */
  refused: 'dlx:refused',
};
