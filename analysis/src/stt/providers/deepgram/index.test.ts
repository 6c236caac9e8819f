// The Deepgram adapter through the official SDK against a local server speaking Deepgram's live
// protocol (tone words: each word a pure tone, so every time can be checked exactly).
import { afterEach, describe, expect, it } from 'vitest';
import { SttStream } from '../../stream.ts';
import { startDeepgramTestServer, toneAudio, toneRecognizer, type DeepgramTestServer } from '@rehearse/testkit/deepgramServer';
import { framesOf } from '@rehearse/testkit/speech';
import { SttError, type SessionEvent } from '../../types.ts';
import type { SpeechEvent } from '../../../transcript/types.ts';
import { DeepgramProvider } from './index.ts';

const API_KEY = 'dg-test-key';
let server: DeepgramTestServer;

afterEach(async () => {
  await server?.close();
});

async function collect(iterable: AsyncIterable<SessionEvent | SpeechEvent>) {
  const events: (SessionEvent | SpeechEvent)[] = [];
  let failure: unknown = null;
  try {
    for await (const event of iterable) events.push(event);
  } catch (error) {
    failure = error;
  }
  return { events, failure };
}

const finals = (events: (SessionEvent | SpeechEvent)[]) => events.flatMap((e) => (e.type === 'final' ? e.words : []));

describe('Deepgram adapter', () => {
  it('streams linear16 with the live options, and turns Results, SpeechStarted and UtteranceEnd into timed events', async () => {
    server = await startDeepgramTestServer({ apiKey: API_KEY, recognizer: toneRecognizer });
    const session = await new DeepgramProvider({ apiKey: API_KEY, url: server.url }).open();
    const reading = collect(session);
    // "so we shipped it", a second and a half of silence, "early".
    const audio = toneAudio([[0, 200], [300, 300], [0, 100], [400, 200], [0, 100], [500, 400], [0, 100], [600, 200], [0, 1500], [800, 300], [0, 200]]);
    for (const frame of framesOf(audio)) session.send(frame.samples);
    session.end();
    const { events, failure } = await reading;
    expect(failure).toBeNull();

    const query = Object.fromEntries(server.connections[0]!);
    expect(query).toMatchObject({ model: 'nova-3', encoding: 'linear16', sample_rate: '16000', channels: '1', interim_results: 'true', punctuate: 'true', vad_events: 'true', endpointing: '400', utterance_end_ms: '1000', filler_words: 'true' });
    expect(server.controls.slice(-2)).toEqual(['Finalize', 'CloseStream']);
    // The 20 ms frames went out as 100 ms messages, the remainder before the end: every sample once.
    expect(server.audioMessages.slice(0, -1).every((bytes) => bytes === 3200)).toBe(true);
    expect(server.audioMessages.reduce((sum, bytes) => sum + bytes, 0)).toBe(audio.length * 2);
    expect(server.audioMessages.length).toBe(Math.ceil((audio.length * 2) / 3200));

    const words = finals(events);
    expect(words.map((w) => w.text)).toEqual(['so', 'we', 'shipped', 'it', 'early']);
    const expected = [[0.2, 0.5], [0.6, 0.8], [0.9, 1.3], [1.4, 1.6], [3.1, 3.4]];
    words.forEach((w, i) => {
      expect(w.start).toBeCloseTo(expected[i]![0]!, 1);
      expect(w.end).toBeCloseTo(expected[i]![1]!, 1);
      expect(w.engine).toBe('deepgram');
    });
    expect(events.find((e) => e.type === 'speechStarted')).toMatchObject({ at: expect.closeTo(0.2, 1) });
    expect(events.find((e) => e.type === 'utteranceEnd')).toMatchObject({ lastWordEnd: expect.closeTo(1.6, 1) });
    // Interim guesses came before the finals they led to.
    const firstInterim = events.findIndex((e) => e.type === 'interim');
    const firstFinal = events.findIndex((e) => e.type === 'final');
    expect(firstInterim).toBeGreaterThanOrEqual(0);
    expect(firstInterim).toBeLessThan(firstFinal);
  });

  it('survives malformed and unknown messages, noting them once', async () => {
    server = await startDeepgramTestServer({ apiKey: API_KEY, recognizer: toneRecognizer });
    const warnings: string[] = [];
    const session = await new DeepgramProvider({ apiKey: API_KEY, url: server.url, logger: { warn: (_d, m) => warnings.push(m) } }).open();
    const reading = collect(session);
    server.sendRaw('{not json');
    server.sendRaw('{"type":"Results","start":0,"duration":1,"channel":{"alternatives":[{"words":[{"word":"x","start":"soon"}]}]}}');
    server.sendRaw('{"type":"SomethingNew"}');
    server.sendRaw('[1,2,3]');
    for (const frame of framesOf(toneAudio([[0, 100], [500, 300], [0, 500]]))) session.send(frame.samples);
    session.end();
    const { events, failure } = await reading;
    expect(failure).toBeNull();
    expect(finals(events).map((w) => w.text)).toEqual(['shipped']);
    expect(warnings).toHaveLength(1);
  });

  it('reports a dropped connection as retryable and a refused key as final', async () => {
    server = await startDeepgramTestServer({ apiKey: API_KEY, recognizer: toneRecognizer });
    const session = await new DeepgramProvider({ apiKey: API_KEY, url: server.url }).open();
    const reading = collect(session);
    for (const frame of framesOf(toneAudio([[300, 300], [0, 400]]))) session.send(frame.samples);
    await expect.poll(() => server.connections.length).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    server.dropConnections();
    const { failure } = await reading;
    expect(failure).toBeInstanceOf(SttError);
    expect(failure).toMatchObject({ retryable: true });

    const refused = await new DeepgramProvider({ apiKey: 'wrong', url: server.url }).open().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SttError);
    expect(refused).toMatchObject({ code: 'engine_refused', retryable: false });
  });

  it('sends KeepAlive instead of a muted stretch, and keeps the words on the answer timeline', async () => {
    server = await startDeepgramTestServer({ apiKey: API_KEY, recognizer: toneRecognizer });
    const stream = new SttStream({ providers: [new DeepgramProvider({ apiKey: API_KEY, url: server.url })], keepAliveMs: 200 });
    const reading = collect(stream);
    // "so", then 3 s of digital silence (a muted microphone), then "early", pushed fast enough to
    // be quick and slowly enough for the keep-alive timer to run.
    const audio = toneAudio([[300, 300], [0, 3000], [800, 300], [0, 400]]);
    for (const frame of framesOf(audio, 5000)) {
      stream.pushFrame(frame);
      await new Promise((r) => setTimeout(r, 5));
    }
    stream.endInput();
    const { events, failure } = await reading;
    expect(failure).toBeNull();
    expect(server.controls).toContain('KeepAlive');
    const words = finals(events);
    expect(words.map((w) => w.text)).toEqual(['so', 'early']);
    // Answer time: the audio started 5 s into the answer, and the skipped silence still counts.
    expect(words[0]!.start).toBeCloseTo(5, 1);
    expect(words[1]!.start).toBeCloseTo(8.3, 1);
  });
});
