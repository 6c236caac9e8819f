// The embedded engine on speech flite reads from known scripts at several rates, through the same
// SttStream and metrics the live page uses.
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../metrics/summary.ts';
import { applyEvent, emptyTranscript } from '../../../transcript/rolling.ts';
import type { SpeechEvent } from '../../../transcript/types.ts';
import { SttStream } from '../../stream.ts';
import { SttError } from '../../types.ts';
import { fliteSpeech, framesOf } from '@rehearse/testkit/speech';
import { checkPocketSphinx, PocketSphinxProvider } from './index.ts';

const SCRIPT =
  'So the situation was that our billing system kept failing every night. ' +
  'My task was to find out why, and basically to fix it for good. ' +
  'I wrote a new import job, you know, and I added alerts so the team heard about problems early. ' +
  'As a result, failures dropped to zero within a month, and actually the support tickets halved.';
const SCRIPT_WORDS = SCRIPT.split(/\s+/).length;
/** Lexical fillers in the script: "So" opening a clause, "basically", "you know", "actually". */
const SCRIPT_FILLERS = 4;

async function transcribe(samples: Int16Array) {
  const stream = new SttStream({ providers: [new PocketSphinxProvider()] });
  const events: SpeechEvent[] = [];
  const reading = (async () => {
    for await (const event of stream) events.push(event);
  })();
  for (const frame of framesOf(samples)) stream.pushFrame(frame);
  stream.endInput();
  await reading;
  return events;
}

describe('embedded PocketSphinx engine', () => {
  it('loads the Debian library and en-US model in a child process', async () => {
    const check = await checkPocketSphinx();
    expect(check.ok, check.detail).toBe(true);
  });

  for (const stretch of [0.8, 1, 1.3]) {
    it(`measures the pace of speech read at duration stretch ${stretch} within 15%, hears the lexical fillers, and ends cleanly`, { timeout: 60_000 }, async () => {
      const speech = await fliteSpeech(SCRIPT, { stretch });
      const trueWpm = SCRIPT_WORDS / ((speech.speechEnd - speech.speechStart) / 60);
      const events = await transcribe(speech.samples);

      const transcript = events.reduce(applyEvent, emptyTranscript());
      const duration = speech.samples.length / 16000;
      const metrics = computeMetrics(transcript.finalWords, { now: duration });
      console.log(`[pocketsphinx ×${stretch}] true ${trueWpm.toFixed(0)} wpm, measured ${metrics.pace.overall.wpm?.toFixed(0)}; fillers ${metrics.fillers.count} (${metrics.fillers.hits.map((f) => f.phrase).join(', ')}); "${transcript.finalText}"`);
      expect(metrics.pace.overall.wpm).not.toBeNull();
      expect(Math.abs(metrics.pace.overall.wpm! - trueWpm) / trueWpm).toBeLessThan(0.15);
      // Close to the script: the engine may miss one or mistake another word for one.
      expect(Math.abs(metrics.fillers.lexical - SCRIPT_FILLERS)).toBeLessThanOrEqual(1);

      // Finals kept coming while the speech went on, not only at the end, and in time order.
      const finals = events.filter((e) => e.type === 'final');
      expect(finals.length).toBeGreaterThanOrEqual(3);
      expect(events.some((e) => e.type === 'interim')).toBe(true);
      const words = transcript.finalWords;
      expect(words[0]!.start).toBeGreaterThanOrEqual(speech.speechStart - 0.3);
      expect(words.at(-1)!.end).toBeLessThanOrEqual(speech.speechEnd + 0.3);
      for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.start);
      expect(words.every((w) => w.engine === 'pocketsphinx')).toBe(true);
    });
  }

  it('reports a killed decoder as a retryable failure after the events it sent', { timeout: 30_000 }, async () => {
    const speech = await fliteSpeech('The situation was that our billing system kept failing every night.');
    const session = await new PocketSphinxProvider().open();
    const seen: string[] = [];
    let failure: unknown;
    let killed = false;
    const reading = (async () => {
      for await (const event of session) {
        seen.push(event.type);
        // Killed as an abort() inside the library would end it.
        if (event.type === 'interim' && !killed) {
          killed = true;
          process.kill((session as unknown as { pid: number }).pid, 'SIGKILL');
        }
      }
    })().catch((error: unknown) => (failure = error));
    for (const frame of framesOf(speech.samples)) session.send(frame.samples);
    await reading;
    expect(seen).toContain('interim');
    expect(failure).toBeInstanceOf(SttError);
    expect(failure).toMatchObject({ code: 'engine_crashed', retryable: true });
    expect((failure as Error).message).toContain('SIGKILL');
  });
});
