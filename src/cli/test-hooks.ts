// A test-only hook: DLX_TEST_SIGNAL makes dlx send itself a real signal at an exact point of
// training, so tests can interrupt a run where wall-clock timing never reliably would.
//   SIGINT@E:B    after batch B of epoch E (the handler runs at the loop's next yield, 50 ms on)
//   SIGKILL@end   after the last epoch is written, before the run's end (restoreBest, test metrics)
// Unset (always, outside tests) it changes nothing.
import type { TrainEvents } from '../train/loop.js';

export function withTestSignal(env: NodeJS.ProcessEnv, events: TrainEvents): TrainEvents {
  const m = /^(SIGINT|SIGKILL)@(?:(\d+):(\d+)|(end))$/.exec(env.DLX_TEST_SIGNAL ?? '');
  if (!m) return events;
  const signal = m[1] as NodeJS.Signals;
  let sent = false;
  const send = () => {
    if (sent) return;
    sent = true;
    process.kill(process.pid, signal);
  };
  return {
    ...events,
    batchEnd(p) {
      events.batchEnd?.(p);
      if (!m[4] && p.epoch === Number(m[2]) && p.batch === Number(m[3])) send();
    },
    async epochEnd(record, info) {
      await events.epochEnd?.(record, info);
      if (m[4] && info.state.stopped) send();
    },
  };
}
