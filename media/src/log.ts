import type { Logger } from '@rehearse/core/logger';

/** What media objects log through: any pino logger (the process's, Fastify's or a child) fits. */
export type MediaLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
