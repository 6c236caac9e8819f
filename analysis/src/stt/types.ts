// Speech-to-text adapters, after livekit/agents-js: a provider opens sessions (one connection or
// one decoder process each); SttStream (stream.ts) runs them, retrying and failing over in one
// place, and turns session times into answer times.
import type { SpeechEvent } from '../transcript/types.ts';

/** What engines take: 16 kHz mono signed 16-bit PCM. */
export const STT_SAMPLE_RATE = 16000;

/** A chunk of the candidate's audio (the media server's AudioFork yields 20 ms frames). */
export interface AudioFrame {
  samples: Int16Array;
  /** When its first sample was heard, in ms since the answer started. */
  startMs: number;
}

/**
 * What a session emits: speech events whose times are seconds from the session's first sample,
 * and a `final` may say how far the engine has listened (`until`), words or not.
 */
export type SessionEvent = Exclude<SpeechEvent, { type: 'final' }> | { type: 'final'; words: Extract<SpeechEvent, { type: 'final' }>['words']; until?: number };

/** One connection or process of an engine. Times in its events are relative to its first sample. */
export interface SttSession extends AsyncIterable<SessionEvent> {
  /** 16 kHz mono samples, contiguous with the previous ones. */
  send(samples: Int16Array): void;
  /** Finish what was heard so far (finals for it come next), without ending the session. */
  finalize(): void;
  /** No more audio: the engine finishes, the iteration ends after its last events. */
  end(): void;
  /** Now, without waiting for results. */
  close(): void;
  /** The engine wants a sign of life while no audio is sent (Deepgram closes an idle socket after 10 s). */
  keepAlive?(): void;
}

export interface SttProvider {
  /** Machine name recorded with every word, e.g. "deepgram". */
  readonly name: string;
  /** What the page shows, e.g. "Deepgram nova-3" or "PocketSphinx (rough local engine)". */
  readonly label: string;
  /** Digital silence (a muted microphone) need not be sent: the stream keeps the session alive and the timeline right. */
  readonly skipsSilence: boolean;
  /** The engine writes hesitations (um, uh) as words; for one that does not, they are heard from the audio. */
  readonly hearsHesitations: boolean;
  open(): Promise<SttSession>;
}

/** A failure of an engine; `retryable` says whether opening a new session of the same engine may help. */
export class SttError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, { code, retryable, cause }: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, { cause });
    this.name = 'SttError';
    this.code = code;
    this.retryable = retryable;
  }
}
