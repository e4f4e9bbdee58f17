// Real processes for the queue tests: a redis-server on a loopback port (persistence off), dlx
// workers and coordinators as child processes whose JSON lines the test can wait for.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { root } from './helpers.js';

export const freePort = () => new Promise<number>((done, fail) => {
  const s = createServer();
  s.once('error', fail);
  s.listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => done(port));
  });
});

export interface RedisServer {
  pid: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startRedis(port: number, password: string): Promise<RedisServer> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', password], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const client = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch {
      if (i > 100) throw new Error(`redis-server on port ${port} did not start`);
      client.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  client.disconnect();
  return {
    pid: child.pid!,
    async stop(signal = 'SIGTERM') {
      process.kill(child.pid!, signal);
      await exited;
    },
  };
}

export interface Proc {
  child: ChildProcess;
  /** Lines of stdout parsed as JSON (others kept as {text}). */
  events: Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the first event that matches. */
  waitFor(match: (e: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
}

/** `install`: the package folder whose bin/dlx.js runs (another install of dlx; default this one). */
export function dlxProcess(args: string[], install = root): Proc {
  const child = spawn(process.execPath, [resolve(install, 'bin/dlx.js'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Record<string, unknown>[] = [];
  let err = '';
  let rest = '';
  const watchers: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (rest + d.toString()).split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      try {
        events.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        events.push({ text: l });
      }
    }
    watchers.forEach((w) => w());
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child, events, exit,
    stderr: () => err,
    waitFor(match, ms = 90_000) {
      return new Promise((done, fail) => {
        const check = () => {
          const e = events.find(match);
          if (e) {
            clearTimeout(timer);
            watchers.splice(watchers.indexOf(check), 1);
            done(e);
          }
        };
        const timer = setTimeout(() => fail(new Error(`timed out waiting in dlx ${args[0]}: ${JSON.stringify(events.slice(-5))} ${err.slice(-500)}`)), ms);
        watchers.push(check);
        check();
        void exit.then(() => setTimeout(() => {
          if (!events.find(match)) {
            clearTimeout(timer);
            fail(new Error(`dlx ${args[0]} exited before the event: ${JSON.stringify(events.slice(-5))} ${err.slice(-1000)}`));
          }
        }, 100));
      });
    },
  };
}
