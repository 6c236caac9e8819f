import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/**
 * One logger per process, named after its component so `npm start` output reads
 * `[api] …`, `[media] …`. Production writes JSON lines for a log collector.
 */
export function createLogger(component: string, config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const options = {
    name: component,
    level: config.logLevel,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.secret', '*.token'], censor: '[redacted]' },
  };
  if (config.env === 'production') return pino(options);
  return pino({
    ...options,
    transport: {
      target: 'pino-pretty',
      options: { colorize: process.stdout.isTTY === true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname,name', messageFormat: '[{name}] {msg}', sync: config.env === 'test' },
    },
  });
}
