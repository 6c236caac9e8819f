// Filled pauses ("um", "uh") heard from the audio itself, for engines that cannot hear them
// (PocketSphinx turns each into a short word such as "them", "and" or "on", or drops it). Over
// the 20 ms frames the audio fork produces, a filled pause is a stretch of sound
//   - set off by silence (80 ms before, 60 ms after: a hesitation is its own breath group, though
//     it often runs into the next word after a brief closure),
//   - 60–1,000 ms long (a clipped "uh" is short; a drawn-out "umm" is not a word),
//   - voiced through most of it (a vowel or a hum: periodic, pitch in the voice's range),
//   - without a fricative or a burst (no frame with a high zero-crossing rate, as "s", "t", "d" have),
//   - and, where the engine heard something there, a short look-alike word that covers it (see
//     withFilledPauses): a real word said on its own ("well,", "you know,") is as isolated and
//     voiced as an "um", and stays what the engine heard.
// The silence level adapts to the recording: the 10th percentile of frame energies so far.
import type { TimedWord } from '../transcript/types.ts';
import { STT_SAMPLE_RATE, type AudioFrame } from '../stt/types.ts';

export interface FilledPause {
  /** Answer seconds. */
  start: number;
  end: number;
}

export interface FilledPauseOptions {
  /** Shortest and longest sounding stretch (s). */
  minDuration: number;
  maxDuration: number;
  /** Silence needed before it (s). */
  minSilence: number;
  /** Silence that ends it (s): shorter, as a hesitation often runs into the next word after a
   * brief closure ("um, told us"). */
  minSilenceAfter: number;
  /** Share of its frames that must be voiced. */
  minVoiced: number;
  /** Zero crossings per sample above which a frame is a fricative or a burst. */
  maxZeroCrossingRate: number;
}

export const FILLED_PAUSE_DEFAULTS: Readonly<FilledPauseOptions> = {
  minDuration: 0.06,
  maxDuration: 1,
  minSilence: 0.08,
  minSilenceAfter: 0.06,
  minVoiced: 0.6,
  maxZeroCrossingRate: 0.25,
};

interface FrameFeatures {
  start: number;
  end: number;
  db: number;
  zcr: number;
  /** The frame's samples and the previous frame's (pitch needs more than 20 ms): joined only for
   * the few frames that get a pitch, not copied for every frame. */
  samples: Int16Array;
  previous: Int16Array;
  /** Worked out only for the loud frames of a stretch being classed: voiced, pitch in Hz, and
   * log energies of bands across 100–4,000 Hz (the frame's spectral shape). */
  voiced?: boolean;
  pitch?: number | null;
  bands?: number[];
}

/** What a sounding stretch looked like, for studying the rules (see `onStretch`). */
export interface StretchStats {
  start: number;
  end: number;
  silenceBefore: number;
  voiced: number;
  maxZcr: number;
  /** Spread of the pitch, semitones (standard deviation over voiced frames). */
  pitchSpread: number;
  /** Mean change of the spectral shape from frame to frame, dB per band. */
  spectralFlux: number;
  accepted: boolean;
}

/** Energy in dBFS of a frame. */
function energyDb(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return 10 * Math.log10(sum / Math.max(1, samples.length) / (32768 * 32768) + 1e-12);
}

function zeroCrossingRate(samples: Int16Array): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1]! >= 0) !== (samples[i]! >= 0)) crossings++;
  return crossings / Math.max(1, samples.length - 1);
}

// Pitch lags for 70–400 Hz at 16 kHz.
const MIN_LAG = Math.floor(STT_SAMPLE_RATE / 400);
const MAX_LAG = Math.ceil(STT_SAMPLE_RATE / 70);

/** Periodic: the normalised autocorrelation peaks above 0.5 at a lag in the voice's pitch range; its pitch. */
function pitchOf(window: Int16Array): number | null {
  const n = window.length - MAX_LAG;
  if (n <= 0) return null;
  let best = 0;
  let bestLag = 0;
  for (let lag = MIN_LAG; lag <= MAX_LAG; lag++) {
    let cross = 0;
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const x = window[i]!;
      const y = window[i + lag]!;
      cross += x * y;
      a += x * x;
      b += y * y;
    }
    const r = a > 0 && b > 0 ? cross / Math.sqrt(a * b) : 0;
    if (r > best) {
      best = r;
      bestLag = lag;
    }
  }
  return best > 0.5 ? STT_SAMPLE_RATE / bestLag : null;
}

// Band centres, Hz: roughly even on a mel-like scale.
const BANDS = [150, 250, 350, 500, 650, 800, 1000, 1250, 1550, 1900, 2350, 2900, 3500];
const COSINES = BANDS.map((f) => 2 * Math.cos((2 * Math.PI * f) / STT_SAMPLE_RATE));

/** Goertzel power at each band centre, in dB. */
function bandEnergies(samples: Int16Array): number[] {
  return COSINES.map((c) => {
    let s1 = 0;
    let s2 = 0;
    for (const x of samples) {
      const s0 = x + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return 10 * Math.log10(s1 * s1 + s2 * s2 - c * s1 * s2 + 1);
  });
}

/** Streaming detector: push the answer's frames; closed filled pauses come out of `take()`. */
export class FilledPauseDetector {
  readonly #options: FilledPauseOptions;
  #previous: Int16Array = new Int16Array(0);
  /** Frame energies so far, for the adaptive silence level: 0.5 dB buckets from −120 to 0 dBFS. */
  #histogram = new Uint32Array(241);
  #count = 0;
  /** Frames waiting for the silence level to mean something (the first second). */
  #backlog: FrameFeatures[] = [];
  /** The sounding stretch being followed (its frames, gaps included), and the silence before it. */
  #stretch: { frames: FrameFeatures[]; silenceBefore: number } | null = null;
  /** Consecutive silent frames, seconds; the answer's start counts as silence. */
  #silence = Infinity;
  #found: FilledPause[] = [];

  readonly #onStretch: ((stats: StretchStats) => void) | undefined;

  constructor(given: Partial<FilledPauseOptions> = {}, onStretch?: (stats: StretchStats) => void) {
    this.#options = { ...FILLED_PAUSE_DEFAULTS, ...given };
    this.#onStretch = onStretch;
  }

  push(frame: AudioFrame): void {
    const start = frame.startMs / 1000;
    const end = start + frame.samples.length / STT_SAMPLE_RATE;
    // Pitch needs more than one 20 ms frame: the frame with the previous one before it.
    const previous = this.#previous;
    this.#previous = frame.samples;
    const db = energyDb(frame.samples);
    this.#histogram[Math.max(0, Math.min(240, Math.round((db + 120) * 2)))]!++;
    this.#count++;
    this.#backlog.push({ start, end, db, zcr: zeroCrossingRate(frame.samples), samples: frame.samples, previous });
    if (this.#count < 50) return;
    const threshold = this.#threshold();
    for (const features of this.#backlog) this.#step(features, threshold);
    this.#backlog = [];
  }

  /** Filled pauses found since the last call. */
  take(): FilledPause[] {
    const found = this.#found;
    this.#found = [];
    return found;
  }

  /** Sound above this level (dBFS) is sounding; null when there is no silence to tell speech from. */
  #threshold(): number | null {
    const floor = this.#percentile(0.1);
    const peak = this.#percentile(0.98);
    return peak - floor < 25 ? null : Math.max(floor + 12, peak - 40);
  }

  #percentile(p: number): number {
    const target = this.#count * p;
    let seen = 0;
    for (let bucket = 0; bucket < this.#histogram.length; bucket++) {
      seen += this.#histogram[bucket]!;
      if (seen >= target) return bucket / 2 - 120;
    }
    return 0;
  }

  #step(frame: FrameFeatures, threshold: number | null): void {
    const sounding = threshold !== null && frame.db > threshold;
    const seconds = frame.end - frame.start;
    if (sounding) {
      if (!this.#stretch) this.#stretch = { frames: [], silenceBefore: this.#silence };
      this.#stretch.frames.push(frame);
      this.#silence = 0;
      return;
    }
    this.#silence += seconds;
    if (!this.#stretch) return;
    this.#stretch.frames.push(frame);
    if (this.#silence < this.#options.minSilenceAfter) return;
    const { frames, silenceBefore } = this.#stretch;
    this.#stretch = null;
    // The stretch ends at its last sounding frame.
    const kept = frames.slice(0, frames.length - Math.round(this.#silence / seconds));
    if (kept.length > 0) this.#classify(kept, threshold!, silenceBefore);
  }

  #classify(frames: FrameFeatures[], threshold: number, silenceBefore: number): void {
    const o = this.#options;
    const start = frames[0]!.start;
    const end = frames.at(-1)!.end;
    const duration = end - start;
    // Too short, too long or not set off: no need for the costly part (most of running speech).
    if (silenceBefore < o.minSilence || duration < o.minDuration || duration > o.maxDuration) {
      this.#onStretch?.({ start, end, silenceBefore, voiced: NaN, maxZcr: NaN, pitchSpread: NaN, spectralFlux: NaN, accepted: false });
      return;
    }
    const loud = frames.filter((f) => f.db > threshold);
    // Pitch and spectrum cost most: only the loud frames of a stretch up for classing get them.
    for (const f of loud) {
      if (f.bands) continue;
      const window = new Int16Array(f.previous.length + f.samples.length);
      window.set(f.previous);
      window.set(f.samples, f.previous.length);
      f.pitch = pitchOf(window);
      f.voiced = f.pitch !== null;
      f.bands = bandEnergies(f.samples);
    }
    const voiced = loud.filter((f) => f.voiced);
    const semitones = voiced.map((f) => 12 * Math.log2(f.pitch! / 100));
    const bands = (f: FrameFeatures) => f.bands!;
    const mean = semitones.reduce((a, b) => a + b, 0) / Math.max(1, semitones.length);
    const pitchSpread = Math.sqrt(semitones.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, semitones.length));
    let flux = 0;
    for (let k = 1; k < loud.length; k++) flux += bands(loud[k]!).reduce((sum, b, n) => sum + Math.abs(b - bands(loud[k - 1]!)[n]!), 0) / BANDS.length;
    const stats: StretchStats = {
      start,
      end,
      silenceBefore,
      voiced: voiced.length / Math.max(1, loud.length),
      maxZcr: Math.max(0, ...loud.map((f) => f.zcr)),
      pitchSpread,
      spectralFlux: flux / Math.max(1, loud.length - 1),
      accepted: false,
    };
    stats.accepted =
      stats.voiced >= o.minVoiced &&
      stats.maxZcr <= o.maxZeroCrossingRate;
    this.#onStretch?.(stats);
    if (stats.accepted) this.#found.push({ start, end });
  }

}

// What an engine without hesitations in its vocabulary writes for one: a short function word of
// similar sound (a vowel, perhaps a nasal), e.g. PocketSphinx's "and", "on", "them", "i'm", or a
// dictionary entry no answer uses ("op").
const HESITATION_LOOKALIKES = new Set([
  'a', 'an', 'and', 'am', "i'm", 'i', 'in', 'on', 'of', 'or', 'oh', 'the', 'them', "'em", 'but', "don't",
  'op', 'um', 'uh', 'ah', 'er', 'erm', 'hmm', 'mm',
]);

/** How much of a filled pause the engine's words cover for it to have left the sound out. */
const LEFT_OUT_BELOW = 0.5;
/** How much of it a look-alike word must cover to be the engine's word for the sound. */
const WORD_COVERS = 0.45;
/** How much of a word the pause may overlap without being part of that word. */
const PART_OF_WORD = 0.3;

/**
 * The engine's final words with the filled pauses worked in. Where the engine's words cover little
 * of a filled pause, it left the sound out: a hesitation ("um", tagged as a filler) is added. Where
 * one look-alike word covers it and no other word reaches into it, that word is what the engine
 * made of the sound and becomes the hesitation. Anything else (a real word said on its own: "well,",
 * "you know,", "five") is left as heard. `fixed`: see below; `insert: false` only replaces (for a
 * stretch the engine has not finalised past yet: its words may still come).
 */
export function withFilledPauses(
  words: readonly TimedWord[],
  pauses: readonly FilledPause[],
  { engine = 'acoustic', fixed = 0, insert = true }: { engine?: string; fixed?: number; insert?: boolean } = {},
): TimedWord[] {
  if (pauses.length === 0) return [...words];
  // The first `fixed` words were already sent on (earlier finals): they count for what covers a
  // stretch but stay as they are, and nothing is added before their end.
  const fixedEnd = fixed > 0 ? Math.max(...words.slice(0, fixed).map((w) => w.end)) : -Infinity;
  const out = [...words];
  const added: TimedWord[] = [];
  for (const pause of pauses) {
    const duration = pause.end - pause.start;
    const overlaps = out
      .map((word, index) => ({ word, index, overlap: Math.max(0, Math.min(word.end, pause.end) - Math.max(word.start, pause.start)) }))
      .filter((o) => o.overlap > 0);
    const hesitation: TimedWord = { text: 'um', start: pause.start, end: pause.end, confidence: 0.5, filler: true, engine };
    if (overlaps.reduce((sum, o) => sum + o.overlap, 0) < LEFT_OUT_BELOW * duration) {
      if (insert && pause.start >= fixedEnd) added.push(hesitation);
      continue;
    }
    const share = (o: (typeof overlaps)[number]) => o.overlap / Math.max(1e-6, o.word.end - o.word.start);
    const main = overlaps.reduce((a, b) => (share(b) > share(a) ? b : a));
    if (overlaps.some((o) => o !== main && share(o) > PART_OF_WORD)) continue;
    if (main.index < fixed || main.word.filler || main.overlap < WORD_COVERS * duration) continue;
    if (!HESITATION_LOOKALIKES.has(main.word.text.toLowerCase().replace(/[^a-z']/g, ''))) continue;
    out[main.index] = { ...hesitation, start: main.word.start, end: main.word.end, engine: main.word.engine ?? engine };
  }
  return added.length === 0 ? out : [...out, ...added].sort((a, b) => a.start - b.start);
}
