// A local server that speaks Deepgram's live streaming protocol (wss://api.deepgram.com/v1/listen)
// so the official SDK can be tested here without the internet: it checks the API key, takes binary
// linear16 audio and the KeepAlive / Finalize / CloseStream control messages, and answers with
// Results (interim and final, word timings), SpeechStarted, UtteranceEnd and Metadata, timed from
// the audio it received. What the audio "says" comes from a recognizer: tone words (each word a
// pure tone, for exact protocol assertions) or any SttProvider (real speech through PocketSphinx).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { STT_SAMPLE_RATE, type SessionEvent, type SttProvider, type TimedWord } from '@rehearse/analysis';

/** Turns one connection's audio into speech events (times from that connection's first sample). */
export interface Recognizer {
  push(samples: Int16Array): SessionEvent[];
  /** Finals for everything heard (Finalize / CloseStream). */
  finish(): Promise<SessionEvent[]>;
  close(): void;
}

export interface DeepgramTestServerOptions {
  apiKey: string;
  /** A recognizer per connection. */
  recognizer: () => Recognizer;
}

export interface DeepgramTestServer {
  /** ws://127.0.0.1:PORT, for DeepgramProvider's `url`. */
  url: string;
  /** Query parameters of each connection, in order. */
  readonly connections: URLSearchParams[];
  /** Control messages received (KeepAlive, Finalize, CloseStream), in order. */
  readonly controls: string[];
  /** The size in bytes of each audio message received, in order, across connections. */
  readonly audioMessages: number[];
  /** Drops every open connection without a close frame (a network failure). */
  dropConnections(): void;
  /** Refuse the next `n` connection attempts with HTTP 503. */
  refuseNext(n: number): void;
  /** Sends this text frame on every open connection (malformed or unknown messages). */
  sendRaw(text: string): void;
  close(): Promise<void>;
}

/** Tone words: a run of a pure tone is one word, its frequency names it. */
export const TONE_WORDS: Record<number, string> = { 300: 'so', 400: 'we', 500: 'shipped', 600: 'it', 700: 'um', 800: 'early' };

/** Audio for tone words: [frequency, ms] pairs, frequency 0 for silence. */
export function toneAudio(parts: [number, number][]): Int16Array {
  const total = parts.reduce((n, [, ms]) => n + (ms * STT_SAMPLE_RATE) / 1000, 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const [frequency, ms] of parts) {
    const n = (ms * STT_SAMPLE_RATE) / 1000;
    for (let i = 0; i < n; i++) out[at + i] = frequency ? Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / STT_SAMPLE_RATE)) : 0;
    at += n;
  }
  return out;
}

/**
 * Recognizes tone words 10 ms at a time: a word starts where the signal does and ends at the first
 * silence; its frequency (from zero crossings) picks the word. Interim results while a word lasts,
 * the final once 300 ms of silence follow it, UtteranceEnd after 1 s.
 */
export function toneRecognizer(): Recognizer {
  const STEP = STT_SAMPLE_RATE / 100;
  let pending = new Int16Array(0);
  let position = 0;
  let word: { start: number; crossings: number; samples: number } | null = null;
  let previous = 0;
  let unfinal: TimedWord[] = [];
  let lastEnd: number | null = null;
  let silentSince = 0;
  let utteranceOpen = false;
  const time = (sample: number) => sample / STT_SAMPLE_RATE;
  const name = (w: { crossings: number; samples: number }) => {
    const frequency = (w.crossings / 2) * (STT_SAMPLE_RATE / w.samples);
    const nearest = Object.keys(TONE_WORDS).map(Number).sort((a, b) => Math.abs(a - frequency) - Math.abs(b - frequency))[0]!;
    return TONE_WORDS[nearest]!;
  };
  const finalize = (events: SessionEvent[]) => {
    if (word) {
      unfinal.push({ text: name(word), start: time(word.start), end: time(position), confidence: 0.99 });
      word = null;
    }
    events.push({ type: 'final', words: unfinal, until: time(position) });
    if (unfinal.length > 0) lastEnd = unfinal.at(-1)!.end;
    unfinal = [];
  };
  return {
    push(samples) {
      const events: SessionEvent[] = [];
      const joined = new Int16Array(pending.length + samples.length);
      joined.set(pending);
      joined.set(samples, pending.length);
      let offset = 0;
      for (; offset + STEP <= joined.length; offset += STEP) {
        const step = joined.subarray(offset, offset + STEP);
        const voiced = step.some((s) => Math.abs(s) > 500);
        if (voiced) {
          if (!word) {
            word = { start: position, crossings: 0, samples: 0 };
            if (!utteranceOpen) events.push({ type: 'speechStarted', at: time(position) });
            utteranceOpen = true;
          }
          for (const sample of step) {
            if (previous < 0 !== sample < 0) word.crossings++;
            previous = sample;
          }
          word.samples += step.length;
          if ((position / STEP) % 10 === 0) events.push({ type: 'interim', words: [...unfinal, { text: name(word), start: time(word.start), end: time(position + STEP), confidence: 0.6 }] });
        } else if (word) {
          unfinal.push({ text: name(word), start: time(word.start), end: time(position), confidence: 0.99 });
          word = null;
          silentSince = position;
        }
        position += STEP;
        if (!voiced && !word) {
          if (unfinal.length > 0 && position - silentSince >= 0.3 * STT_SAMPLE_RATE) finalize(events);
          if (utteranceOpen && lastEnd !== null && time(position) - lastEnd >= 1) {
            events.push({ type: 'utteranceEnd', lastWordEnd: lastEnd });
            utteranceOpen = false;
          }
        }
      }
      pending = joined.slice(offset);
      return events;
    },
    async finish() {
      const events: SessionEvent[] = [];
      finalize(events);
      return events;
    },
    close() {},
  };
}

/** Any engine as the recognizer: its events, times and all, go out in Deepgram's shapes. */
export function providerRecognizer(provider: SttProvider): Recognizer {
  let events: SessionEvent[] = [];
  let session: Awaited<ReturnType<SttProvider['open']>> | null = null;
  let ended: Promise<void> = Promise.resolve();
  const opened = provider.open().then((s) => {
    session = s;
    ended = (async () => {
      for await (const event of s) events.push(event);
    })().catch(() => {});
    return s;
  });
  const queued: Int16Array[] = [];
  void opened.then((s) => {
    for (const samples of queued.splice(0)) s.send(samples);
  });
  const drain = () => events.splice(0);
  return {
    push(samples) {
      if (session) session.send(samples);
      else queued.push(samples);
      return drain();
    },
    async finish() {
      const s = await opened;
      s.end();
      await ended;
      return drain();
    },
    close() {
      session?.close();
      events = [];
    },
  };
}

function toDeepgram(event: SessionEvent, state: { lastFinalEnd: number }): object {
  const words = (list: readonly TimedWord[]) => list.map((w) => ({ word: w.text.toLowerCase(), start: w.start, end: w.end, confidence: w.confidence, punctuated_word: w.punctuated ?? w.text }));
  const results = (list: readonly TimedWord[], isFinal: boolean, start: number, end: number) => ({
    type: 'Results',
    channel_index: [0, 1],
    duration: Math.max(0, end - start),
    start,
    is_final: isFinal,
    speech_final: isFinal,
    channel: { alternatives: [{ transcript: list.map((w) => w.text).join(' '), confidence: 0.9, words: words(list) }] },
    metadata: { request_id: randomUUID(), model_info: { name: 'general', version: 'test', arch: 'test' }, model_uuid: randomUUID() },
  });
  switch (event.type) {
    case 'interim':
      return results(event.words, false, state.lastFinalEnd, event.words.at(-1)?.end ?? state.lastFinalEnd);
    case 'final': {
      const start = state.lastFinalEnd;
      const end = event.until ?? event.words.at(-1)?.end ?? start;
      state.lastFinalEnd = Math.max(start, end);
      return results(event.words, true, start, Math.max(start, end));
    }
    case 'speechStarted':
      return { type: 'SpeechStarted', channel: [0], timestamp: event.at };
    case 'utteranceEnd':
      return { type: 'UtteranceEnd', channel: [0, 1], last_word_end: event.lastWordEnd };
  }
}

export async function startDeepgramTestServer({ apiKey, recognizer }: DeepgramTestServerOptions): Promise<DeepgramTestServer> {
  const connections: URLSearchParams[] = [];
  const controls: string[] = [];
  const audioMessages: number[] = [];
  const sockets = new Set<WebSocket>();
  let refusals = 0;
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (refusals > 0) {
      refusals--;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (url.pathname !== '/v1/listen' || req.headers.authorization !== `Token ${apiKey}`) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    connections.push(url.searchParams);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  const serve = (ws: WebSocket) => {
    sockets.add(ws);
    const recognize = recognizer();
    const state = { lastFinalEnd: 0 };
    let received = 0;
    let chain = Promise.resolve();
    const send = (events: SessionEvent[]) => {
      for (const event of events) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(toDeepgram(event, state)));
    };
    ws.on('message', (data, isBinary) => {
      chain = chain.then(async () => {
        if (isBinary) {
          const bytes = data as Buffer;
          audioMessages.push(bytes.length);
          const samples = new Int16Array(bytes.length >> 1);
          for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
          received += samples.length;
          send(recognize.push(samples));
          return;
        }
        const text = data.toString();
        let type: unknown;
        try {
          type = (JSON.parse(text) as { type?: unknown }).type;
        } catch {
          type = undefined;
        }
        controls.push(String(type));
        if (type === 'Finalize') send(await recognize.finish());
        else if (type === 'CloseStream') {
          send(await recognize.finish());
          if (ws.readyState === ws.OPEN) {
            ws.send(JSON.stringify({ type: 'Metadata', transaction_key: 'deprecated', request_id: randomUUID(), sha256: '', created: new Date().toISOString(), duration: received / STT_SAMPLE_RATE, channels: 1 }));
            ws.close(1000);
          }
        } else if (type !== 'KeepAlive') {
          ws.close(1008, 'unknown control message');
        }
      });
    });
    ws.on('close', () => {
      sockets.delete(ws);
      recognize.close();
    });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    controls,
    audioMessages,
    dropConnections() {
      for (const ws of sockets) ws.terminate();
    },
    refuseNext(n) {
      refusals = n;
    },
    sendRaw(text) {
      for (const ws of sockets) ws.send(text);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
