// One page's signaling WebSocket: parses, validates and dispatches each request, and answers
// every failure with a stable error code instead of throwing. Nothing a page sends can take the
// server or another room down.
import { Compile } from 'typebox/compile';
import type { WebSocket } from 'ws';
import { InvalidStateError, LimitError, NotFoundError } from '../errors.ts';
import type { ConnectionState, SignalingServices } from './context.ts';
import { SignalingError } from './errors.ts';
import { handlers } from './handlers/index.ts';
import { CLOSE_CODES, JOIN_TIMEOUT_MS, requestSchemas, type ErrorCode, type Method, type Notification, type NotificationData } from '@rehearse/protocol/signaling';

const validators = Object.fromEntries(Object.entries(requestSchemas).map(([method, schema]) => [method, Compile(schema)])) as {
  [M in Method]: ReturnType<typeof Compile<(typeof requestSchemas)[M]>>;
};

// A page sends a few dozen requests while setting up; far more than that per second is a bug or abuse.
const RATE_PER_SECOND = 50;
const BURST = 100;
const ABUSE_LIMIT = 200;

export class Connection implements ConnectionState {
  readonly services: SignalingServices;
  claims: ConnectionState['claims'] = null;
  room: ConnectionState['room'] = null;
  peer: ConnectionState['peer'] = null;
  readonly #socket: WebSocket;
  #cleanups: (() => void)[] = [];
  #tokens = BURST;
  #lastRefill = performance.now();
  #rejected = 0;
  #joinTimer: NodeJS.Timeout | null = null;

  constructor(socket: WebSocket, services: SignalingServices) {
    this.#socket = socket;
    this.services = services;
    socket.on('message', (raw, isBinary) => void this.#onMessage(raw as Buffer, isBinary));
    socket.on('close', () => {
      this.#clearJoinTimer();
      this.leave();
    });
    this.#startJoinTimer();
    socket.on('error', (error) => services.log.debug({ err: error }, 'signaling socket error'));
  }

  notify<N extends Notification>(notification: N, data: NotificationData[N]): void {
    this.#send({ notification, data });
  }

  onLeave(cleanup: () => void): void {
    this.#cleanups.push(cleanup);
  }

  /** A socket that never joins (or stays out after leaving) holds server memory for nothing. */
  #startJoinTimer(): void {
    this.#clearJoinTimer();
    this.#joinTimer = setTimeout(() => {
      if (!this.peer) this.#socket.close(CLOSE_CODES.joinTimeout, 'join timeout');
    }, this.services.joinTimeoutMs ?? JOIN_TIMEOUT_MS);
  }

  #clearJoinTimer(): void {
    if (this.#joinTimer) clearTimeout(this.#joinTimer);
    this.#joinTimer = null;
  }

  joined(): void {
    this.#clearJoinTimer();
  }

  leave(): void {
    const wasJoined = this.peer !== null;
    for (const cleanup of this.#cleanups.splice(0)) {
      try {
        cleanup();
      } catch (error) {
        this.services.log.warn({ err: error }, 'leave cleanup failed');
      }
    }
    this.peer = null;
    this.room = null;
    this.claims = null;
    if (wasJoined && this.#socket.readyState === this.#socket.OPEN) this.#startJoinTimer();
  }

  disconnect(code: number, reason: string): void {
    this.leave();
    this.#socket.close(code, reason);
  }

  #send(message: unknown): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #fail(id: number | null, code: ErrorCode, message: string): void {
    this.#send({ id, ok: false, error: { code, message } });
  }

  #allow(): boolean {
    const now = performance.now();
    this.#tokens = Math.min(BURST, this.#tokens + ((now - this.#lastRefill) / 1000) * RATE_PER_SECOND);
    this.#lastRefill = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  async #onMessage(raw: Buffer, isBinary: boolean): Promise<void> {
    if (!this.#allow()) {
      this.#fail(null, 'RATE_LIMITED', `more than ${RATE_PER_SECOND} messages per second`);
      if (++this.#rejected > ABUSE_LIMIT) this.disconnect(1008, 'rate limit');
      return;
    }
    if (isBinary) return this.#fail(null, 'BAD_MESSAGE', 'messages are JSON text');
    let message: unknown;
    try {
      message = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.#fail(null, 'BAD_JSON', 'message is not valid JSON');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return this.#fail(null, 'BAD_MESSAGE', 'message must be an object');
    const { id, method, data } = message as { id?: unknown; method?: unknown; data?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return this.#fail(null, 'BAD_MESSAGE', 'id must be an integer');
    if (typeof method !== 'string') return this.#fail(id, 'BAD_MESSAGE', 'method must be a string');
    if (!Object.hasOwn(requestSchemas, method)) return this.#fail(id, 'UNKNOWN_METHOD', `unknown method ${method.slice(0, 64)}`);
    const validator = validators[method as Method];
    if (!validator.Check(data)) {
      const [first] = validator.Errors(data);
      return this.#fail(id, 'INVALID_PARAMS', first ? `${method}: ${first.instancePath || 'data'} ${first.message}` : `${method}: invalid data`);
    }
    if (method !== 'join' && !this.peer) return this.#fail(id, 'NOT_JOINED', 'join a room first');

    try {
      const handler = handlers[method as Method] as (state: ConnectionState, data: unknown) => Promise<unknown>;
      this.#send({ id, ok: true, data: await handler(this, data) });
    } catch (error) {
      if (error instanceof SignalingError) return this.#fail(id, error.code, error.message);
      // mediasoup rejects malformed parameters with TypeError (e.g. rtpParameters it cannot use).
      if (error instanceof TypeError) return this.#fail(id, 'INVALID_PARAMS', `${method}: ${error.message}`);
      if (error instanceof NotFoundError) return this.#fail(id, 'NOT_FOUND', error.message);
      if (error instanceof LimitError) return this.#fail(id, 'LIMIT_REACHED', error.message);
      if (error instanceof InvalidStateError) return this.#fail(id, 'ROOM_CLOSED', error.message);
      // mediasoup's own error class for what the router cannot handle.
      if ((error as Error).name === 'UnsupportedError') return this.#fail(id, 'UNSUPPORTED_CODEC', (error as Error).message);
      this.services.log.error({ err: error, method }, 'signaling request failed');
      this.#fail(id, 'FAILED', `${method} failed`);
    }
  }
}
