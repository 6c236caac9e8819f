// The rolling transcript as a pure reducer: applyEvent(state, event) → new state. The page calls it
// for every engine event and reads the state (already joined text included) as often as it redraws.
import type { SpeechEvent, TimedWord, VoiceActivity } from './types.ts';
import { displayText, midpoint } from './words.ts';

export interface TranscriptState {
  /** Committed words in time order, never revised. Metrics read only these. */
  readonly finalWords: readonly TimedWord[];
  /** The engine's current guess for speech after the committed words: display only. */
  readonly interimWords: readonly TimedWord[];
  readonly finalText: string;
  readonly interimText: string;
  /** `finalText` and `interimText` joined by a space. */
  readonly text: string;
  /** Latest end of any word heard, final or interim, or reported by `utteranceEnd`; 0 at first. */
  readonly heardUntil: number;
  /** Time of the last `speechStarted`, or null. */
  readonly speechStartedAt: number | null;
  /** Speaking since `speechStartedAt` when that is later than anything heard; else silent since `heardUntil`. */
  readonly voice: VoiceActivity;
}

const EMPTY: TranscriptState = {
  finalWords: [],
  interimWords: [],
  finalText: '',
  interimText: '',
  text: '',
  heardUntil: 0,
  speechStartedAt: null,
  voice: { speaking: false, since: 0 },
};

export function emptyTranscript(): TranscriptState {
  return EMPTY;
}

export function applyEvent(state: TranscriptState, event: SpeechEvent): TranscriptState {
  switch (event.type) {
    case 'final':
      return applyFinal(state, checkWords(event.words));
    case 'interim':
      return applyInterim(state, checkWords(event.words));
    case 'speechStarted':
      return withVoice({ ...state, speechStartedAt: checkTime(event.at, 'speechStarted.at') });
    case 'utteranceEnd': {
      const lastWordEnd = checkTime(event.lastWordEnd, 'utteranceEnd.lastWordEnd');
      // The engine has finalised everything up to lastWordEnd: an interim word still lying there was
      // revised away, so it goes now rather than lingering until the next final.
      const interimWords = state.interimWords.filter((word) => midpoint(word) > lastWordEnd);
      return withText({ ...state, interimWords, heardUntil: Math.max(state.heardUntil, lastWordEnd) });
    }
    default:
      throw new TypeError(`unknown speech event ${JSON.stringify((event as { type?: unknown }).type)}`);
  }
}

function applyFinal(state: TranscriptState, incoming: readonly TimedWord[]): TranscriptState {
  if (incoming.length === 0) return state;
  const { words, appended } = commit(state.finalWords, incoming);
  const finalText =
    appended === null ? joinText(words) : appended.length === 0 ? state.finalText : joinText(appended, state.finalText);
  const heardUntil = Math.max(state.heardUntil, ...incoming.map((word) => word.end));
  // Interim words that the committed finals now cover are what the finals replaced.
  const interimWords = pending(state.interimWords, words);
  return withText({ ...state, finalWords: words, finalText, interimWords, heardUntil });
}

function applyInterim(state: TranscriptState, incoming: readonly TimedWord[]): TranscriptState {
  // Engines send empty guesses at segment boundaries (PocketSphinx at utterance start, Deepgram on
  // noise). Clearing the display then and showing the same words again in the final is the flicker.
  if (incoming.length === 0) return state;
  const interimWords = pending([...incoming].sort(byStart), state.finalWords);
  const heardUntil = Math.max(state.heardUntil, ...interimWords.map((word) => word.end));
  return withText({ ...state, interimWords, heardUntil });
}

/**
 * Merges final words into the committed ones in time order. A word is a duplicate when either
 * word's midpoint lies inside the other's time range (the first final wins: finals never change).
 * Returns the words appended at the end, or null when some were inserted earlier (text rebuilt).
 */
function commit(committed: readonly TimedWord[], incoming: readonly TimedWord[]) {
  let words = committed;
  let appended: TimedWord[] | null = [];
  const own = () => (words === committed ? (words = committed.slice()) : words) as TimedWord[];
  for (const word of [...incoming].sort(byStart)) {
    const last = words.at(-1);
    if (last === undefined || (word.start >= last.start && !duplicate(word, last))) {
      own().push(word);
      appended?.push(word);
      continue;
    }
    const index = firstStartingAfter(words, word.start);
    const before = words[index - 1];
    const after = words[index];
    if ((before && duplicate(word, before)) || (after && duplicate(word, after))) continue;
    own().splice(index, 0, word);
    appended = null;
  }
  return { words, appended };
}

/** Interim words not covered by committed finals: midpoint after the last final word's end. */
function pending(interim: readonly TimedWord[], finals: readonly TimedWord[]): readonly TimedWord[] {
  const finalsEnd = finals.at(-1)?.end;
  if (finalsEnd === undefined) return interim;
  const kept = interim.filter((word) => midpoint(word) > finalsEnd);
  return kept.length === interim.length ? interim : kept;
}

function duplicate(a: TimedWord, b: TimedWord): boolean {
  const inside = (word: TimedWord, range: TimedWord) => midpoint(word) >= range.start && midpoint(word) <= range.end;
  return inside(a, b) || inside(b, a);
}

function firstStartingAfter(words: readonly TimedWord[], start: number): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (words[middle]!.start <= start) low = middle + 1;
    else high = middle;
  }
  return low;
}

function withText(state: TranscriptState): TranscriptState {
  const interimText = joinText(state.interimWords);
  const text = state.finalText && interimText ? `${state.finalText} ${interimText}` : state.finalText || interimText;
  return withVoice({ ...state, interimText, text });
}

function withVoice(state: TranscriptState): TranscriptState {
  const { speechStartedAt, heardUntil } = state;
  const voice =
    speechStartedAt !== null && speechStartedAt > heardUntil
      ? { speaking: true, since: speechStartedAt }
      : { speaking: false, since: heardUntil };
  return { ...state, voice };
}

function joinText(words: readonly TimedWord[], prefix = ''): string {
  let text = prefix;
  for (const word of words) {
    const shown = displayText(word);
    if (shown) text = text ? `${text} ${shown}` : shown;
  }
  return text;
}

function byStart(a: TimedWord, b: TimedWord): number {
  return a.start - b.start;
}

function checkWords(words: readonly TimedWord[]): readonly TimedWord[] {
  if (!Array.isArray(words)) throw new TypeError('speech event words must be an array');
  for (const word of words) {
    if (typeof word?.text !== 'string') throw new TypeError('word text must be a string');
    checkTime(word.start, `start of "${word.text}"`);
    checkTime(word.end, `end of "${word.text}"`);
    if (word.end < word.start) throw new TypeError(`word "${word.text}" ends (${word.end}) before it starts (${word.start})`);
  }
  return words;
}

function checkTime(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${what} must be a finite number of seconds ≥ 0 (got ${value})`);
  return value;
}
