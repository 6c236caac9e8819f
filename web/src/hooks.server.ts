import type { ServerInit } from '@sveltejs/kit/hooks';

export const init: ServerInit = () => {
  // Started by deploy/local/stack.ts with an IPC channel: when the launcher goes, so does this server.
  if (process.channel) {
    process.once('disconnect', () => process.exit(0));
    process.channel.unref();
  }
};
