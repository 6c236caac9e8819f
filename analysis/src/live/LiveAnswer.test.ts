// Live analysis of one answer with the embedded engine: updates while the speech is still coming
// in, and the report at the end.
import { describe, expect, it } from 'vitest';
import { PocketSphinxProvider } from '../stt/providers/pocketsphinx/index.ts';
import { fliteSpeech, framesOf } from '@rehearse/testkit/speech';
import type { AudioFrame } from '../stt/types.ts';
import type { TimedWord } from '../transcript/types.ts';
import { LiveAnswer } from './LiveAnswer.ts';
import type { LiveUpdate } from './types.ts';

const SCRIPT = 'The situation was that our billing system kept failing every night. So basically my task was to find out why, and I rewrote the import job. As a result, failures dropped to zero.';

/** Frames at `speed` × real time, noting how many had been sent when each update arrived. */
async function* paced(frames: AudioFrame[], speed: number, sent: { count: number }): AsyncGenerator<AudioFrame> {
  for (const frame of frames) {
    sent.count++;
    yield frame;
    await new Promise((r) => setTimeout(r, 20 / speed));
  }
}

describe('LiveAnswer', () => {
  it('sends growing transcripts and metrics while the answer runs, then a report over the same words', { timeout: 60_000 }, async () => {
    const speech = await fliteSpeech(SCRIPT);
    const frames = [...framesOf(speech.samples, 1000)];
    const sent = { count: 0 };
    const updates: { update: LiveUpdate; framesSent: number }[] = [];
    // The engine may finish late on a busy machine: this test is about what is heard, not how fast (npm run bench measures that).
    const live = new LiveAnswer({ providers: [new PocketSphinxProvider()], finishTimeoutMs: 30_000, onUpdate: (update) => updates.push({ update, framesSent: sent.count }) });
    live.feed(paced(frames, 4, sent));
    while (sent.count < frames.length) await new Promise((r) => setTimeout(r, 50));
    const duration = 1 + speech.samples.length / 16000;
    const report = await live.finish(duration);

    // Words reached the page while audio was still being sent, and the count only grew.
    const during = updates.filter((u) => u.framesSent < frames.length * 0.9);
    expect(during.some((u) => u.update.finalWords.length > 0 || u.update.interimWords.length > 0)).toBe(true);
    const counts = updates.map((u) => u.update.metrics.words);
    expect(counts.at(-1)).toBeGreaterThan(counts.find((c) => c > 0)!);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
    updates.forEach((u, i) => expect(u.update.seq).toBe(i + 1));

    // The final words, sent once each in order, add up to the report's transcript.
    const assembled: TimedWord[] = [];
    for (const { update } of updates) {
      expect(update.finalFrom).toBe(assembled.length);
      assembled.push(...update.finalWords);
    }
    expect(assembled).toEqual(report.words);
    const last = updates.at(-1)!.update;
    expect(last.latestWordEnd).toBe(report.words.at(-1)!.end);
    expect(last.engine).toEqual({ name: 'pocketsphinx', label: 'PocketSphinx (rough local engine)' });

    // The report: words on the answer timeline (the audio began 1 s in), metrics over them.
    expect(report.words[0]!.start).toBeGreaterThan(1);
    expect(report.summary.words).toBe(report.words.length);
    expect(Math.abs(report.words.length - SCRIPT.split(/\s+/).length)).toBeLessThanOrEqual(5);
    expect(report.summary.fillers.lexical).toBeGreaterThanOrEqual(1);
    expect(report.summary.paceTimeline.length).toBeGreaterThan(0);
    expect(report).toMatchObject({ engine: 'pocketsphinx', durationSeconds: duration, sttError: null });
    expect(report.spans).toEqual([{ engine: 'pocketsphinx', from: 0, to: expect.any(Number) }]);
  });

  it('hears an "um" the embedded engine cannot, as a filler left out of the word count and the pace', { timeout: 60_000 }, async () => {
    // PocketSphinx writes flite's "um" as "and"; the filled-pause detector hears it in the frames.
    const speech = await fliteSpeech('My task was to find out why. Um, I rewrote the import job, and uh, failures dropped to zero.');
    const run = async (filledPauses: boolean) => {
      const updates: LiveUpdate[] = [];
      // All the engine's finals, however loaded the machine (the default wait at the end is 1.5 s).
      const live = new LiveAnswer({ providers: [new PocketSphinxProvider()], filledPauses, finishTimeoutMs: 60_000, onUpdate: (u) => updates.push(u) });
      live.feed((async function* () {
        yield* framesOf(speech.samples, 1000);
      })());
      await live.drained();
      return { report: await live.finish(1 + speech.samples.length / 16000), updates };
    };
    const { report, updates } = await run(true);
    const hesitations = report.words.filter((w) => w.filler);
    expect(hesitations.map((w) => w.text)).toEqual(['um']);
    expect(report.summary.fillers.hits.filter((h) => h.kind === 'hesitation').map((h) => h.phrase)).toEqual(['um']);
    expect(report.summary.words).toBe(report.words.length - 1);
    expect(report.summary.pace.overall.words).toBe(report.words.length - 1);
    // The updates to the page (the live panel) carried it as a filler too.
    expect(updates.some((u) => u.metrics.fillers.hits.some((h) => h.kind === 'hesitation'))).toBe(true);
    // Without the detector the engine's look-alike word stays a word.
    const plain = (await run(false)).report;
    expect(plain.words.some((w) => w.filler)).toBe(false);
    expect(plain.summary.words).toBe(report.summary.words + 1);
  });

  it('keeps updating the clock and the silence while nothing is said', { timeout: 30_000 }, async () => {
    const silence = [...framesOf(new Int16Array(16000 * 2))];
    const sent = { count: 0 };
    const updates: LiveUpdate[] = [];
    const live = new LiveAnswer({ providers: [new PocketSphinxProvider()], onUpdate: (u) => updates.push(u), updateEveryMs: 200 });
    live.feed(paced(silence, 1, sent));
    while (sent.count < silence.length) await new Promise((r) => setTimeout(r, 50));
    const report = await live.finish(2);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    const elapsed = updates.map((u) => u.metrics.now);
    expect(elapsed.at(-1)).toBeGreaterThan(elapsed[0]!);
    expect(updates.every((u) => u.finalWords.length === 0 && u.latestWordEnd === null)).toBe(true);
    expect(report.words).toEqual([]);
  });
});
