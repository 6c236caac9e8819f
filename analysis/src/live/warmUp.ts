// Runs the coaching code once over a made-up answer, so the first real answer after a media server
// starts does not pay for it: the part-of-speech tagger's model, and V8 compiling the metrics and
// the filled-pause detector while a candidate is waiting for their report (measured: the first stop
// after start took 430–620 ms without this, later ones 150–300 ms).
import { FilledPauseDetector } from '../acoustics/filledPauses.ts';
import { loadGrammar } from '../metrics/grammar.ts';
import { computeMetrics, summarizeAnswer } from '../metrics/summary.ts';
import type { TimedWord } from '../transcript/types.ts';

const SAMPLE =
  'So at my last job our checkout kept failing, and you know, customers noticed. My task was to find out why. ' +
  'I actually rewrote the import job, um, and I like Go, so that was fun. As a result, errors fell from twelve percent to one.';

/** About a quarter of a second of work; returns what it took, in milliseconds. */
export function warmUp(): number {
  const started = performance.now();
  loadGrammar();
  const words: TimedWord[] = SAMPLE.split(' ').map((text, k) => ({ text, start: k * 0.35, end: k * 0.35 + 0.3, confidence: 0.9 }));
  for (let round = 0; round < 20; round++) {
    for (let n = 4; n <= words.length; n += 4) computeMetrics(words.slice(0, n), { now: words[n - 1]!.end + 0.2 * round });
    summarizeAnswer(words, { duration: words.at(-1)!.end + 1 });
  }
  // Two seconds of a held vowel between silences: every step of the detector.
  const detector = new FilledPauseDetector();
  for (let f = 0; f < 100; f++) {
    const samples = new Int16Array(320);
    if (f >= 60 && f < 75) for (let i = 0; i < 320; i++) samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 120 * (f * 320 + i)) / 16000));
    else for (let i = 0; i < 320; i++) samples[i] = ((i * 7919) % 61) - 30;
    detector.push({ samples, startMs: f * 20 });
  }
  detector.take();
  return performance.now() - started;
}
