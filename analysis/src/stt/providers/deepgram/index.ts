// Deepgram live streaming through the official SDK. One WebSocket per session; the SDK's own
// reconnecting is switched off, because a reconnected socket restarts Deepgram's clock at zero
// behind our back: retrying and failover live in SttStream.
import { DeepgramClient } from '@deepgram/sdk';
import { EventQueue } from '../../queue.ts';
import { STT_SAMPLE_RATE, SttError, type SessionEvent, type SttProvider, type SttSession } from '../../types.ts';
import type { TimedWord } from '../../../transcript/types.ts';
import { parseDeepgramMessage } from './messages.ts';

export const DEEPGRAM = 'deepgram';

export interface DeepgramOptions {
  apiKey: string;
  /** Model name. Default nova-3. */
  model?: string;
  /** Where the live API is: Deepgram's by default; a self-hosted Deepgram, or a test server, elsewhere (ws:// or wss://). */
  url?: string;
  /** Silence that ends an utterance, ms. Default 400. */
  endpointingMs?: number;
  /** Gap between words that sends UtteranceEnd, ms (Deepgram's minimum is 1000). Default 1000. */
  utteranceEndMs?: number;
  logger?: { warn(details: object, message: string): void };
}

/** What a close code means for retrying: 1008 and 4xxx are Deepgram refusing (bad key, bad request); the rest is the network. */
function closeFailure(code: number, reason: string): SttError {
  const refused = code === 1008 || (code >= 4000 && code < 5000);
  return new SttError(`Deepgram closed the stream (${code}${reason ? `: ${reason}` : ''})`, { code: refused ? 'engine_refused' : 'engine_disconnected', retryable: !refused });
}

type Socket = Awaited<ReturnType<DeepgramClient['listen']['v1']['connect']>>;

/**
 * Audio goes to Deepgram in chunks of this many bytes (100 ms of 16 kHz 16-bit PCM), not one 20 ms
 * frame per message: a fifth of the WebSocket messages (and their syscalls) on the media server,
 * within the 20–250 ms chunks Deepgram recommends. What is still held goes out before a Finalize,
 * a KeepAlive or the end, so nothing waits longer than the next 80 ms of audio.
 */
const CHUNK_BYTES = 3200;

class DeepgramSession implements SttSession {
  readonly #socket: Socket;
  readonly #events = new EventQueue<SessionEvent>();
  readonly #logger: DeepgramOptions['logger'];
  #ending = false;
  #held = Buffer.allocUnsafe(CHUNK_BYTES);
  #heldBytes = 0;
  #unhandled = 0;

  constructor(socket: Socket, logger: DeepgramOptions['logger']) {
    this.#socket = socket;
    this.#logger = logger;
    socket.on('message', (message: unknown) => this.#onMessage(message));
    socket.on('close', (event) => {
      if (this.#ending && (event.code === 1000 || event.code === 1005)) this.#events.end();
      else this.#events.fail(closeFailure(event.code, event.reason));
    });
    socket.on('error', (error) => this.#events.fail(new SttError(`Deepgram stream failed: ${error.message}`, { code: 'engine_disconnected', retryable: true, cause: error })));
  }

  #onMessage(raw: unknown): void {
    const message = parseDeepgramMessage(raw);
    switch (message.type) {
      case 'Results': {
        const words: TimedWord[] = message.words.map((w) => ({ text: w.word, start: w.start, end: w.end, confidence: w.confidence, punctuated: w.punctuated_word, engine: DEEPGRAM, filler: HESITATIONS.has(w.word.toLowerCase()) || undefined }));
        if (message.is_final) this.#events.push({ type: 'final', words, until: message.start + message.duration });
        else this.#events.push({ type: 'interim', words });
        break;
      }
      case 'SpeechStarted':
        this.#events.push({ type: 'speechStarted', at: message.timestamp });
        break;
      case 'UtteranceEnd':
        this.#events.push({ type: 'utteranceEnd', lastWordEnd: message.last_word_end });
        break;
      case 'Metadata':
        break;
      case 'unhandled':
        // Once per session is enough to notice a protocol change; the stream carries on.
        if (this.#unhandled++ === 0) this.#logger?.warn({ reason: message.reason }, 'Deepgram sent a message this adapter does not understand');
        break;
    }
  }

  send(samples: Int16Array): void {
    if (this.#ending || this.#socket.readyState !== 1) return;
    let bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    while (bytes.length > 0) {
      const take = Math.min(bytes.length, CHUNK_BYTES - this.#heldBytes);
      this.#held.set(bytes.subarray(0, take), this.#heldBytes);
      this.#heldBytes += take;
      bytes = bytes.subarray(take);
      if (this.#heldBytes === CHUNK_BYTES) this.#sendHeld();
    }
  }

  /** The audio held so far, as one message (the SDK's socket copies it out when framing). */
  #sendHeld(): void {
    if (this.#heldBytes === 0 || this.#socket.readyState !== 1) return;
    this.#socket.sendMedia(this.#held.subarray(0, this.#heldBytes));
    // ws may still hold the view until the frame is written: the next chunk gets a buffer of its own.
    this.#held = Buffer.allocUnsafe(CHUNK_BYTES);
    this.#heldBytes = 0;
  }

  finalize(): void {
    if (this.#ending || this.#socket.readyState !== 1) return;
    this.#sendHeld();
    this.#socket.sendFinalize({ type: 'Finalize' });
  }

  keepAlive(): void {
    if (this.#ending || this.#socket.readyState !== 1) return;
    this.#sendHeld();
    this.#socket.sendKeepAlive({ type: 'KeepAlive' });
  }

  end(): void {
    if (this.#ending) return;
    this.#ending = true;
    // Deepgram sends the last results, then closes the socket (1000).
    if (this.#socket.readyState === 1) {
      this.#sendHeld();
      this.#socket.sendFinalize({ type: 'Finalize' });
      this.#socket.sendCloseStream({ type: 'CloseStream' });
    } else {
      this.#events.end();
    }
  }

  close(): void {
    this.#ending = true;
    this.#events.end();
    this.#socket.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<SessionEvent> {
    return this.#events[Symbol.asyncIterator]();
  }
}

/** What Deepgram's filler_words=true returns (it hears hesitations; PocketSphinx does not). */
const HESITATIONS = new Set(['uh', 'um', 'mhmm', 'mm-mm', 'uh-uh', 'uh-huh', 'nuh-uh', 'hmm', 'mm']);

export class DeepgramProvider implements SttProvider {
  readonly name = DEEPGRAM;
  readonly label: string;
  readonly skipsSilence = true;
  readonly hearsHesitations = true;
  readonly #client: DeepgramClient;
  readonly #options: Required<Omit<DeepgramOptions, 'url' | 'logger' | 'apiKey'>>;
  readonly #logger: DeepgramOptions['logger'];

  constructor({ apiKey, model = 'nova-3', url, endpointingMs = 400, utteranceEndMs = 1000, logger }: DeepgramOptions) {
    if (!apiKey) throw new TypeError('a Deepgram API key is required');
    const http = url?.replace(/^ws/, 'http');
    this.#client = new DeepgramClient({ apiKey, ...(url ? { environment: { base: http!, production: url, agent: url, agentRest: http! } } : {}) });
    this.#options = { model, endpointingMs, utteranceEndMs };
    this.#logger = logger;
    this.label = `Deepgram ${model}`;
  }

  async open(): Promise<SttSession> {
    let socket: Socket;
    try {
      socket = await this.#client.listen.v1.connect({
        model: this.#options.model,
        encoding: 'linear16',
        sample_rate: STT_SAMPLE_RATE,
        channels: 1,
        interim_results: 'true',
        punctuate: 'true',
        vad_events: 'true',
        endpointing: this.#options.endpointingMs,
        utterance_end_ms: this.#options.utteranceEndMs,
        queryParams: { filler_words: 'true' },
        reconnectAttempts: 0,
        connectionTimeoutInSeconds: 5,
      });
      const session = new DeepgramSession(socket, this.#logger);
      socket.connect();
      await socket.waitForOpen();
      return session;
    } catch (error) {
      const message = (error as Error).message;
      // A refused key or a bad request will be refused again: fail over at once instead of retrying.
      if (/\b(400|401|403)\b/.test(message)) throw new SttError(`Deepgram refused the connection: ${message}`, { code: 'engine_refused', retryable: false, cause: error });
      throw new SttError(`Deepgram could not be reached: ${message}`, { code: 'engine_unreachable', retryable: true, cause: error });
    }
  }
}
