// Scoring one analysed answer against its script's labels, and adding the scores up. Matching is
// by time: a filler the product found counts as right when a labelled filler of the same type
// overlaps it (flite's phone times against the engine's word times, give or take TOLERANCE).
import type { AnswerReport } from '../src/live/types.ts';
import { STAR_PARTS, type StarPart } from '../src/metrics/star.ts';
import { FILLER_TYPES, fillerTypeOf, type FillerType, type Script } from './corpus.ts';
import type { TimedScriptWord } from './speech.ts';

/** Seconds either side of a label within which a detection may fall. */
export const TOLERANCE = 0.25;

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface SampleScore {
  name: string;
  /** The true rate: the script's words (hesitations not counted) over first word start → last word end. */
  trueWpm: number;
  wpm: number | null;
  /** Word errors of the transcript against the script (hesitations left out of both) and the script's word count. */
  wordErrors: number;
  referenceWords: number;
  fillers: Record<FillerType, Counts>;
  /** Per STAR part: labelled in the script, and heard by the product. */
  star: Record<StarPart, { labelled: boolean; heard: boolean }>;
  /** Human-readable misses and false alarms, for reading what went wrong. */
  mistakes: string[];
}

const HESITATION_WORDS = new Set(['um', 'uh', 'umm', 'uhm', 'uhh', 'er', 'erm', 'ah', 'hmm', 'mm']);

function clean(text: string): string {
  return text.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[^a-z0-9'%]/g, '');
}

/** Levenshtein distance between word sequences. */
export function editDistance(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[hypothesis.length]!;
}

function emptyCounts(): Record<FillerType, Counts> {
  return Object.fromEntries(FILLER_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<FillerType, Counts>;
}

export function scoreSample(script: Script, times: readonly TimedScriptWord[], report: Pick<AnswerReport, 'words' | 'summary'>): SampleScore {
  const { words } = script;
  const spoken = words.filter((w) => w.filler !== 'um/uh');
  const span = times.at(-1)!.end - times[0]!.start;
  const trueWpm = (spoken.length / span) * 60;

  const reference = spoken.map((w) => w.text);
  const hypothesis = report.words.filter((w) => !w.filler && !HESITATION_WORDS.has(clean(w.text))).map((w) => clean(w.text)).filter(Boolean);
  const wordErrors = editDistance(reference, hypothesis);

  // Labelled fillers: one per braced phrase.
  const labels: Array<{ type: FillerType; start: number; end: number; text: string; used: boolean }> = [];
  words.forEach((w, i) => {
    if (w.filler && w.fillerStart === i) {
      let last = i;
      while (words[last + 1]?.fillerStart === i) last++;
      labels.push({ type: w.filler, start: times[i]!.start, end: times[last]!.end, text: words.slice(i, last + 1).map((x) => x.text).join(' '), used: false });
    }
  });
  const fillers = emptyCounts();
  const mistakes: string[] = [];
  const clock = (t: number) => t.toFixed(2);
  for (const hit of report.summary.fillers.hits) {
    const type: FillerType | null = hit.kind === 'hesitation' ? 'um/uh' : fillerTypeOf(hit.phrase);
    if (!type) continue;
    const label = labels.find((l) => !l.used && l.type === type && hit.start <= l.end + TOLERANCE && hit.end >= l.start - TOLERANCE);
    if (label) {
      label.used = true;
      fillers[type].tp++;
    } else {
      fillers[type].fp++;
      const context = report.words.filter((w) => w.end > hit.start - 1 && w.start < hit.end + 1).map((w) => w.text);
      mistakes.push(`false ${type} "${hit.phrase}" at ${clock(hit.start)} (in "${context.join(' ')}")`);
    }
  }
  for (const label of labels.filter((l) => !l.used)) {
    fillers[label.type].fn++;
    const heard = report.words.filter((w) => w.end > label.start - TOLERANCE && w.start < label.end + TOLERANCE).map((w) => w.text);
    mistakes.push(`missed ${label.type} "${label.text}" at ${clock(label.start)} (heard "${heard.join(' ')}")`);
  }

  const star = Object.fromEntries(
    STAR_PARTS.map((part) => [part, { labelled: script.parts.includes(part), heard: report.summary.star[part].heard }]),
  ) as SampleScore['star'];
  for (const part of STAR_PARTS) {
    if (star[part].labelled !== star[part].heard) mistakes.push(star[part].labelled ? `missed ${part}` : `false ${part}: "${report.summary.star[part].evidence}"`);
  }
  return { name: script.name, trueWpm, wpm: report.summary.pace.overall.wpm, wordErrors, referenceWords: reference.length, fillers, star, mistakes };
}

export interface PrecisionRecall {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  support: number;
}

export function precisionRecall({ tp, fp, fn }: Counts): PrecisionRecall {
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision === 0 || recall === 0 ? 0 : null;
  return { precision, recall, f1, support: tp + fn };
}

export interface Totals {
  samples: number;
  pace: { meanError: number; worstError: number; worst: string };
  wer: number;
  fillers: Record<FillerType, PrecisionRecall>;
  lexical: PrecisionRecall;
  star: Record<StarPart, number> & { overall: number };
}

export function total(scores: readonly SampleScore[]): Totals {
  const errors = scores.map((s) => ({ name: s.name, error: s.wpm === null ? 1 : Math.abs(s.wpm - s.trueWpm) / s.trueWpm }));
  const worst = errors.reduce((a, b) => (b.error > a.error ? b : a));
  const sum = (pick: (s: SampleScore) => number) => scores.reduce((n, s) => n + pick(s), 0);
  const counts = emptyCounts();
  const lexical: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const s of scores) {
    for (const type of FILLER_TYPES) {
      for (const key of ['tp', 'fp', 'fn'] as const) {
        counts[type][key] += s.fillers[type][key];
        if (type !== 'um/uh') lexical[key] += s.fillers[type][key];
      }
    }
  }
  const agreement = (part: StarPart) => sum((s) => (s.star[part].labelled === s.star[part].heard ? 1 : 0)) / scores.length;
  const star = Object.fromEntries(STAR_PARTS.map((p) => [p, agreement(p)])) as Record<StarPart, number>;
  return {
    samples: scores.length,
    pace: { meanError: errors.reduce((n, e) => n + e.error, 0) / errors.length, worstError: worst.error, worst: worst.name },
    wer: sum((s) => s.wordErrors) / sum((s) => s.referenceWords),
    fillers: Object.fromEntries(FILLER_TYPES.map((t) => [t, precisionRecall(counts[t])])) as Record<FillerType, PrecisionRecall>,
    lexical: precisionRecall(lexical),
    star: { ...star, overall: STAR_PARTS.reduce((n, p) => n + star[p], 0) / STAR_PARTS.length },
  };
}
