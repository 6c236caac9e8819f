/**
 * Runs `close` once when the process is asked to stop: SIGINT/SIGTERM, or the launcher's IPC
 * channel closing (the launcher died), so no component outlives `npm start`.
 */
export function onShutdown(close: () => Promise<unknown>, { graceMs = 10_000 }: { graceMs?: number } = {}): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), graceMs);
    force.unref();
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (process.channel) {
    process.once('disconnect', stop);
    // The channel alone must not keep a finished process alive.
    process.channel.unref();
  }
}
