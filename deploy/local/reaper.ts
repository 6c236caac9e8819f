// Stops the embedded PostgreSQL if the launcher dies without stopping it (SIGKILL, a crash).
// PostgreSQL cannot tell when its parent is gone; this small process can: it holds an IPC
// channel to the launcher, and when the channel closes it asks the postmaster (its pid is the
// first line of postmaster.pid) for a fast shutdown. After an orderly stop the file is gone and
// there is nothing to do.
//
//   node deploy/local/reaper.ts <postgres data directory>
import { readFileSync } from 'node:fs';
import path from 'node:path';

const databaseDir = process.argv[2];
if (!databaseDir || !process.channel) {
  process.stderr.write('[reaper] usage: forked by the launcher with the PostgreSQL data directory\n');
  process.exit(2);
}
// Signals for the launcher's process group are for the launcher: it stops PostgreSQL in order.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});

process.once('disconnect', () => {
  try {
    const pid = Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data is safe.
    if (Number.isInteger(pid) && pid > 1) process.kill(pid, 'SIGINT');
  } catch {
    // No pid file: PostgreSQL was stopped in order (or never started).
  }
  process.exit(0);
});
