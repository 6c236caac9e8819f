// The page's side of the media server's signaling WebSocket. The contract is
// @rehearse/protocol/signaling, imported for its types only, so both sides change together.
import type {
  ErrorCode,
  Method,
  Notification,
  NotificationData,
  NotificationMessage,
  RequestData,
  ResponseData,
  ResponseMessage,
} from '@rehearse/protocol/signaling';

export type { ErrorCode, Method, Notification, NotificationData, RecordingState, RequestData, ResponseData } from '@rehearse/protocol/signaling';

/** A request the media server refused; `code` is one of the protocol's stable error codes. */
export class SignalingError extends Error {
  readonly code: ErrorCode | 'SOCKET_CLOSED' | 'TIMEOUT';

  constructor(code: SignalingError['code'], message: string) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
  }
}

type Listener<T> = (data: T) => void;

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** True when this side called close(). */
  byUs: boolean;
}

export class SignalingClient {
  readonly url: string;
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<Notification, Set<Listener<never>>>();
  readonly #closeListeners = new Set<Listener<CloseInfo>>();
  readonly #timeoutMs: number;
  #nextId = 1;
  #closed = false;
  #closedByUs = false;

  private constructor(socket: WebSocket, url: string, timeoutMs: number) {
    this.#socket = socket;
    this.url = url;
    this.#timeoutMs = timeoutMs;
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('close', (event) => this.#onClose(event.code, event.reason));
  }

  /** Opens the socket; rejects if it cannot be opened within `timeoutMs`. */
  static connect(url: string, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<SignalingClient> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        reject(new SignalingError('SOCKET_CLOSED', `Could not open the media connection: ${(error as Error).message}`));
        return;
      }
      const timer = setTimeout(() => {
        socket.close();
        reject(new SignalingError('TIMEOUT', `The media server at ${url} did not answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve(new SignalingClient(socket, url, timeoutMs));
      });
      socket.addEventListener('close', (event) => {
        clearTimeout(timer);
        reject(new SignalingError('SOCKET_CLOSED', `The media server at ${url} closed the connection (${event.code}${event.reason ? `: ${event.reason}` : ''})`));
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  request<M extends Method>(method: M, data: RequestData<M>): Promise<ResponseData[M]> {
    if (this.#closed) return Promise.reject(new SignalingError('SOCKET_CLOSED', `${method}: the media connection is closed`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SignalingError('TIMEOUT', `${method}: no answer from the media server within ${this.#timeoutMs / 1000} s`));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve: resolve as (data: unknown) => void, reject, timer });
      this.#socket.send(JSON.stringify({ id, method, data }));
    });
  }

  on<N extends Notification>(notification: N, listener: Listener<NotificationData[N]>): () => void {
    let set = this.#listeners.get(notification);
    if (!set) this.#listeners.set(notification, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  onClose(listener: Listener<CloseInfo>): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Closes the socket; pending requests fail with SOCKET_CLOSED. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closedByUs = true;
    this.#socket.close(1000, 'bye');
    this.#onClose(1000, 'bye');
  }

  #onMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: ResponseMessage | NotificationMessage;
    try {
      message = JSON.parse(raw) as ResponseMessage | NotificationMessage;
    } catch {
      return;
    }
    if ('notification' in message) {
      for (const listener of this.#listeners.get(message.notification) ?? []) {
        try {
          (listener as Listener<unknown>)(message.data);
        } catch (error) {
          console.error(`signaling: ${message.notification} listener failed`, error);
        }
      }
      return;
    }
    if (message.id === null) {
      // Not tied to a request (rate limit, unparsable message): nothing waits for it.
      if (!message.ok) console.warn(`signaling: ${message.error.code}: ${message.error.message}`);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.data);
    else pending.reject(new SignalingError(message.error.code, message.error.message));
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new SignalingError('SOCKET_CLOSED', 'the media connection closed before the server answered'));
      this.#pending.delete(id);
    }
    for (const listener of this.#closeListeners) listener({ code, reason, byUs: this.#closedByUs });
    this.#closeListeners.clear();
    this.#listeners.clear();
  }
}
