// SttStream's retry and failover with real engines: Deepgram (the official SDK against a local
// server speaking its protocol, recognizing with PocketSphinx) fails mid-answer, the answer goes
// on with what was buffered; the transcript must still cover the whole answer.
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, emptyTranscript } from '../transcript/rolling.ts';
import type { SpeechEvent } from '../transcript/types.ts';
import { DeepgramProvider } from './providers/deepgram/index.ts';
import { PocketSphinxProvider } from './providers/pocketsphinx/index.ts';
import { SttStream } from './stream.ts';
import { providerRecognizer, startDeepgramTestServer, type DeepgramTestServer } from '@rehearse/testkit/deepgramServer';
import { fliteSpeech, framesOf, type Speech } from '@rehearse/testkit/speech';

const API_KEY = 'dg-test-key';
const SCRIPT =
  'The situation was that our billing system kept failing every night. My task was to find out why. ' +
  'I rewrote the import job and added alerts so the team heard about problems early. ' +
  'As a result, failures dropped to zero within a month and the support tickets halved.';

let server: DeepgramTestServer;
afterEach(async () => {
  await server?.close();
});

/** Pushes the speech at four times real time; `at(fraction)` runs once that much has been pushed. */
async function answer(stream: SttStream, speech: Speech, at: { fraction: number; run: () => void }) {
  const events: SpeechEvent[] = [];
  let failure: unknown = null;
  const reading = (async () => {
    for await (const event of stream) events.push(event);
  })().catch((error: unknown) => (failure = error));
  const frames = [...framesOf(speech.samples)];
  for (const [i, frame] of frames.entries()) {
    if (i === Math.round(frames.length * at.fraction)) at.run();
    stream.pushFrame(frame);
    await new Promise((r) => setTimeout(r, 5));
  }
  stream.endInput();
  await reading;
  return { events, failure, transcript: events.reduce(applyEvent, emptyTranscript()) };
}

function expectWholeAnswerCovered(words: readonly { start: number; end: number; text: string }[], speech: Speech) {
  expect(words[0]!.start).toBeLessThan(speech.speechStart + 0.5);
  expect(words.at(-1)!.end).toBeGreaterThan(speech.speechEnd - 0.5);
  // Clear speech without long pauses: a hole in the words is audio nobody transcribed.
  for (let i = 1; i < words.length; i++) expect(words[i]!.start - words[i - 1]!.end, `hole before "${words[i]!.text}"`).toBeLessThan(1.2);
  const scriptWords = SCRIPT.split(/\s+/).length;
  expect(Math.abs(words.length - scriptWords) / scriptWords).toBeLessThan(0.2);
}

describe('SttStream', () => {
  it('fails over to the embedded engine when Deepgram goes away mid-answer, replaying what no final covered', { timeout: 90_000 }, async () => {
    const speech = await fliteSpeech(SCRIPT);
    server = await startDeepgramTestServer({ apiKey: API_KEY, recognizer: () => providerRecognizer(new PocketSphinxProvider()) });
    const warnings: string[] = [];
    const stream = new SttStream({
      providers: [new DeepgramProvider({ apiKey: API_KEY, url: server.url }), new PocketSphinxProvider()],
      retryDelayMs: 50,
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const { failure, transcript } = await answer(stream, speech, {
      fraction: 0.45,
      run: () => {
        // Deepgram is gone for good: the socket drops and reconnecting is refused.
        server.refuseNext(100);
        server.dropConnections();
      },
    });
    expect(failure).toBeNull();
    const words = transcript.finalWords;
    expectWholeAnswerCovered(words, speech);

    const [first, second] = stream.spans;
    expect(stream.spans).toHaveLength(2);
    expect(first).toMatchObject({ engine: 'deepgram', from: 0 });
    expect(second).toMatchObject({ engine: 'pocketsphinx', from: first!.to });
    expect(first!.to).toBeGreaterThan(1);
    expect(second!.to).toBeGreaterThan(speech.speechEnd - 0.5);
    // Each word was heard by the engine whose span it lies in.
    for (const word of words) expect(word.engine).toBe((word.start + word.end) / 2 < first!.to ? 'deepgram' : 'pocketsphinx');
    expect(warnings.some((m) => m.includes('continuing on PocketSphinx'))).toBe(true);
  });

  it('retries the same engine after a dropped connection, without losing or repeating words', { timeout: 90_000 }, async () => {
    const speech = await fliteSpeech(SCRIPT);
    server = await startDeepgramTestServer({ apiKey: API_KEY, recognizer: () => providerRecognizer(new PocketSphinxProvider()) });
    const stream = new SttStream({ providers: [new DeepgramProvider({ apiKey: API_KEY, url: server.url }), new PocketSphinxProvider()], retryDelayMs: 50 });
    const { failure, transcript, events } = await answer(stream, speech, { fraction: 0.5, run: () => server.dropConnections() });
    expect(failure).toBeNull();
    // What the engines sent, before the transcript's own de-duplication: no word twice.
    const sent = events.flatMap((e) => (e.type === 'final' ? e.words : [])).sort((a, b) => a.start - b.start);
    for (const [i, word] of sent.entries()) {
      const again = sent.slice(i + 1).find((other) => other.text === word.text && other.start < word.end);
      expect(again, `"${word.text}" at ${word.start.toFixed(2)} s sent twice`).toBeUndefined();
    }
    expect(server.connections.length).toBe(2);
    expect(stream.spans).toEqual([{ engine: 'deepgram', from: 0, to: expect.any(Number) }]);
    expectWholeAnswerCovered(transcript.finalWords, speech);
  });

  it('fails the iteration with the last error when every engine has failed', async () => {
    server = await startDeepgramTestServer({ apiKey: API_KEY, recognizer: () => providerRecognizer(new PocketSphinxProvider()) });
    server.refuseNext(100);
    const stream = new SttStream({ providers: [new DeepgramProvider({ apiKey: API_KEY, url: server.url })], maxRetries: 1, retryDelayMs: 10 });
    stream.pushFrame({ samples: new Int16Array(320), startMs: 0 });
    await expect((async () => {
      for await (const _event of stream) {
        // Nothing is heard.
      }
    })()).rejects.toMatchObject({ name: 'SttError', retryable: true });
  });
});
