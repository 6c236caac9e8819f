// npm run eval [-- --voices slt,rms --only 03 --scripts <dir> --mistakes --json --save <dir> | --replay <dir> | --text]
//
// The coach's accuracy on labelled speech: every script in scripts/ is read by flite voices at
// several rates, run through the CLI's pipeline (analyzeFile: the embedded engine, the rolling
// transcript, the metrics), and scored against the script's labels: pace error, word error rate,
// filler precision/recall/F1 per type, um/uh, and STAR agreement per part, against the goals.
// --save keeps each reading's label times, the engine's own words and what the filled-pause
// detector heard; --replay scores saved readings again with the current rules and detector
// decisions (withFilledPauses), in seconds instead of minutes. The figures to quote come from a
// plain run, which is the CLI's pipeline end to end. --text scores the rules alone: the scripts'
// exact words at flite's times (hesitations as "um"), no engine, no punctuation.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFfmpegPath } from '@rehearse/core/ffmpeg';
import { type FilledPause, withFilledPauses } from '../src/acoustics/filledPauses.ts';
import { analyzeFile, filledPausesInFile, providersFor, type Engine } from '../src/cli/pipeline.ts';
import { STAR_PARTS } from '../src/metrics/star.ts';
import { summarizeAnswer } from '../src/metrics/summary.ts';
import type { TimedWord } from '../src/transcript/types.ts';
import { FILLER_TYPES, loadScripts } from './corpus.ts';
import { scoreSample, total, type PrecisionRecall, type SampleScore, type Totals } from './score.ts';
import { readingsOf, STRETCHES, VOICES } from './readings.ts';
import { speakScript, type TimedScriptWord } from './speech.ts';

export const GOALS = {
  paceMean: 0.05,
  paceWorst: 0.1,
  lexicalF1: 0.9,
  typeF1: 0.8,
  hesitationRecall: 0.6,
  hesitationPrecision: 0.8,
  star: 0.85,
};

const { values } = parseArgs({
  options: {
    voices: { type: 'string', default: VOICES.join(',') },
    only: { type: 'string' },
    scripts: { type: 'string' },
    engine: { type: 'string', default: 'pocketsphinx' },
    mistakes: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    save: { type: 'string' },
    replay: { type: 'string' },
    text: { type: 'boolean', default: false },
  },
});

const here = path.dirname(new URL(import.meta.url).pathname);
const scripts = (await loadScripts(values.scripts ?? path.join(here, 'scripts'))).filter((s) => !values.only || s.name.includes(values.only));
if (scripts.length === 0) {
  process.stderr.write('eval: no scripts\n');
  process.exit(2);
}
const readings = readingsOf(scripts, values.voices.split(','));
const ffmpegPath = resolveFfmpegPath(process.env.FFMPEG_BIN ?? null);
const dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-eval-'));
if (values.save) await mkdir(values.save, { recursive: true });

/** What --save keeps of a reading: enough to score it again. */
interface Saved {
  times: TimedScriptWord[];
  /** The final words: the pipeline's, or with --save the engine's own (no filled pauses worked in). */
  words: TimedWord[];
  durationSeconds: number;
  /** With --save: what the filled-pause detector heard in the file. */
  pauses?: FilledPause[];
}
const scores: Array<SampleScore & { voice: string; stretch: number }> = [];
const started = Date.now();
try {
  let next = 0;
  // Two at a time: the machine has two cores and each decoder is one process.
  await Promise.all(
    [0, 1].map(async () => {
      while (next < readings.length) {
        const { script, voice, stretch } = readings[next++]!;
        const id = `${script.name}-${voice}-${stretch}`;
        let saved: Saved;
        if (values.text) {
          const times = await speakScript(script, { voice, stretch, wav: path.join(dir, `${id}.wav`) });
          const words = script.words.map((w, i): TimedWord => ({ text: w.filler === 'um/uh' ? 'um' : w.text, start: times[i]!.start, end: times[i]!.end, confidence: 1 }));
          saved = { times, words, durationSeconds: times.at(-1)!.end + 0.5 };
        } else if (values.replay) {
          saved = JSON.parse(await readFile(path.join(values.replay, `${id}.json`), 'utf8')) as Saved;
        } else {
          const wav = path.join(dir, `${id}.wav`);
          const times = await speakScript(script, { voice, stretch, wav });
          const providers = providersFor(values.engine as Engine, process.env.DEEPGRAM_API_KEY);
          const report = await analyzeFile(wav, { ffmpegPath, providers, filledPauses: !values.save });
          if (report.sttError) throw new Error(`${script.name}: ${report.sttError}`);
          saved = { times, words: report.words, durationSeconds: report.durationSeconds };
          if (values.save) {
            saved.pauses = providers[0]!.hearsHesitations ? [] : await filledPausesInFile(ffmpegPath, wav);
            await writeFile(path.join(values.save, `${id}.json`), JSON.stringify(saved));
          }
        }
        const words = saved.pauses ? withFilledPauses(saved.words, saved.pauses) : saved.words;
        const summary = summarizeAnswer(words, { duration: saved.durationSeconds });
        scores.push({ ...scoreSample(script, saved.times, { words, summary }), voice, stretch });
        if (!values.json) process.stderr.write(`\r${scores.length}/${readings.length}`);
      }
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (!values.json) process.stderr.write(`\r${' '.repeat(20)}\r`);
scores.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.voice < b.voice ? -1 : 1));
const totals = total(scores);

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
const num = (x: number | null) => (x === null ? '–' : x.toFixed(2));
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

function report(t: Totals): { text: string; met: boolean } {
  const checks: Array<[string, string, string, boolean]> = [];
  checks.push(['pace error, mean', pct(t.pace.meanError), `≤ ${pct(GOALS.paceMean)}`, t.pace.meanError <= GOALS.paceMean]);
  checks.push(['pace error, worst', `${pct(t.pace.worstError)} (${t.pace.worst})`, `≤ ${pct(GOALS.paceWorst)}`, t.pace.worstError <= GOALS.paceWorst]);
  const lex = t.lexical;
  checks.push(['lexical fillers P / R / F1', `${num(lex.precision)} / ${num(lex.recall)} / ${num(lex.f1)}`, `F1 ≥ ${GOALS.lexicalF1}`, (lex.f1 ?? 0) >= GOALS.lexicalF1]);
  for (const type of FILLER_TYPES.filter((x) => x !== 'um/uh')) {
    const f: PrecisionRecall = t.fillers[type];
    checks.push([`  ${type} (${f.support})`, `${num(f.precision)} / ${num(f.recall)} / ${num(f.f1)}`, `F1 ≥ ${GOALS.typeF1}`, f.support === 0 || (f.f1 ?? 0) >= GOALS.typeF1]);
  }
  const h = t.fillers['um/uh'];
  checks.push([`um/uh (${h.support}) P / R`, `${num(h.precision)} / ${num(h.recall)}`, `R ≥ ${GOALS.hesitationRecall} at P ≥ ${GOALS.hesitationPrecision}`, (h.recall ?? 0) >= GOALS.hesitationRecall && (h.precision ?? 0) >= GOALS.hesitationPrecision]);
  checks.push(['STAR agreement', pct(t.star.overall), `≥ ${pct(GOALS.star)}`, t.star.overall >= GOALS.star]);
  for (const part of STAR_PARTS) checks.push([`  ${part}`, pct(t.star[part]), '', true]);
  checks.push(['word error rate (no goal)', pct(t.wer), '', true]);
  const width = Math.max(...checks.map((c) => c[0].length));
  const valueWidth = Math.max(...checks.map((c) => c[1].length));
  const lines = checks.map(([name, value, goal, ok]) => `${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${goal ? `${goal.padEnd(22)} ${mark(ok)}` : ''}`.trimEnd());
  return { text: lines.join('\n'), met: checks.every((c) => c[3]) };
}

const { text, met } = report(totals);
if (values.json) {
  process.stdout.write(`${JSON.stringify({ totals, scores }, null, 2)}\n`);
} else {
  const voices = [...new Set(scores.map((s) => s.voice))];
  const perVoice = voices.map((v) => {
    const t = total(scores.filter((s) => s.voice === v));
    return `${v.padEnd(6)} pace ${pct(t.pace.meanError)} mean, ${pct(t.pace.worstError)} worst · WER ${pct(t.wer)} · lexical F1 ${num(t.lexical.f1)} · um/uh ${num(t.fillers['um/uh'].precision)}/${num(t.fillers['um/uh'].recall)} · STAR ${pct(t.star.overall)}`;
  });
  process.stdout.write(`${scripts.length} scripts, ${scores.length} readings (voices ${voices.join(', ')}; rates ×${STRETCHES.join(', ×')}), ${((Date.now() - started) / 1000).toFixed(0)} s\n\n${text}\n\nBy voice:\n${perVoice.join('\n')}\n`);
  if (values.mistakes) for (const s of scores) if (s.mistakes.length) process.stdout.write(`\n${s.name} (${s.voice} ×${s.stretch}, ${s.wpm?.toFixed(0)} vs ${s.trueWpm.toFixed(0)} wpm):\n  ${s.mistakes.join('\n  ')}\n`);
}
// Exit once stdout is flushed (a piped --json report is larger than the pipe's buffer).
process.stdout.write('', () => process.exit(met ? 0 : 1));
