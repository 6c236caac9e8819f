import net from 'node:net';
import { describeListenError } from '@rehearse/core/errors';

/**
 * Fails with a one-line StartupError when something already listens on the port. Child servers
 * (PostgreSQL, s3rver) report a busy port only in their logs, so it is checked before they start.
 */
export function assertPortFree(port: number, what: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => reject(describeListenError(error, what, port)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
