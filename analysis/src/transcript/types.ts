/** One recognised word. Times are seconds from the start of the answer. */
export interface TimedWord {
  /** The word as recognised, e.g. "like" (Deepgram `word`, a PocketSphinx segment word). */
  text: string;
  start: number;
  end: number;
  /** 0..1 as the engine reports it. */
  confidence: number;
  /** Casing and punctuation when the engine gives them, e.g. "Like," (Deepgram `punctuated_word`). */
  punctuated?: string;
  /** Which engine produced the word, e.g. "deepgram" or "pocketsphinx". */
  engine?: string;
  /** The engine tagged this word as a hesitation (Deepgram `filler_words=true`: uh, um, mhmm). */
  filler?: boolean;
}

/**
 * What a speech-to-text stream emits (see CONVENTIONS "Speech and metrics").
 * - `interim`: the engine's current guess for speech not yet final; it replaces the previous guess.
 * - `final`: words the engine will not revise, with their times.
 * - `speechStarted`: the engine heard speech begin at `at` (before any word is recognised).
 * - `utteranceEnd`: the engine decided the utterance ended; `lastWordEnd` is its last word's end.
 */
export type SpeechEvent =
  | { type: 'interim'; words: readonly TimedWord[] }
  | { type: 'final'; words: readonly TimedWord[] }
  | { type: 'speechStarted'; at: number }
  | { type: 'utteranceEnd'; lastWordEnd: number };

/** Whether the candidate is speaking, and since when (answer seconds). A browser-side voice detector
 * can supply this instantly; the rolling transcript derives a slower one from engine events. */
export interface VoiceActivity {
  speaking: boolean;
  since: number;
}
