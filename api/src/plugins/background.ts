// Work that must not be on the response's path: what a reply's timing would otherwise reveal
// (whether an address has an account) or what a client should not wait for (mail servers). Each
// task runs after the reply, its failure is logged (never thrown at the client), and closing the
// app waits for the tasks in flight, bounded.
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Runs `task` after the current request has been answered; `name` says what failed in the log. */
    background: (name: string, task: () => Promise<unknown>) => void;
  }
}

/** How long closing the app waits for background tasks before giving up on them. */
const DRAIN_MS = 10_000;

export default fp(
  async (app) => {
    const pending = new Set<Promise<unknown>>();
    app.decorate('background', (name: string, task: () => Promise<unknown>) => {
      const run = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((error: unknown) => app.log.error({ err: error }, `${name} failed`))
        .finally(() => pending.delete(run));
      pending.add(run);
    });
    app.addHook('onClose', async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
      clearTimeout(timer);
    });
  },
  { name: 'background' },
);
