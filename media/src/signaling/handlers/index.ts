import type { HandlerTable } from '../context.ts';
import type { Method } from '@rehearse/protocol/signaling';
import { consumerHandlers } from './consumers.ts';
import { producerHandlers } from './producers.ts';
import { sessionHandlers } from './session.ts';
import { transportHandlers } from './transports.ts';

/** Every request method, one file per group; the compiler checks none is missing. */
export const handlers: HandlerTable<Method> = { ...sessionHandlers, ...transportHandlers, ...producerHandlers, ...consumerHandlers };
