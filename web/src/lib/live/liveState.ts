// The page's copy of an answer's live analysis, rebuilt from the server's updates: final words
// arrive once each (`finalFrom` says where they go), the interim guess and the metrics are
// replaced by every update.
import type { NotificationData } from '../media/SignalingClient.ts';

export type LiveUpdate = NotificationData['analysis'];
export type LiveWord = LiveUpdate['finalWords'][number];

export interface LiveState {
  finalWords: LiveWord[];
  interimWords: LiveWord[];
  metrics: LiveUpdate['metrics'] | null;
  engine: LiveUpdate['engine'] | null;
  /** Answer seconds at which the latest word shown ended. */
  latestWordEnd: number | null;
  /**
   * How far behind the audio the newest word was when it reached the page, ms: the server's
   * newest audio time minus the word's end, taken when a new word arrives (both on the server's
   * answer clock, so the page's own clock does not matter).
   */
  delayMs: number | null;
  /** The server's Date.now() when the engine emitted the newest event shown (with the page's clock, the pipeline's delay on one machine). */
  engineAt: number | null;
  /** Updates received; a gap in `seq` means some were missed (the words are still complete: finalFrom re-aligns them). */
  updates: number;
  lastSeq: number;
}

export function emptyLiveState(): LiveState {
  return { finalWords: [], interimWords: [], metrics: null, engine: null, latestWordEnd: null, delayMs: null, engineAt: null, updates: 0, lastSeq: 0 };
}

export function applyLiveUpdate(state: LiveState, update: LiveUpdate): LiveState {
  // Words from finalFrom on replace whatever the page had there (after a missed update, or a rejoin).
  const finalWords = [...state.finalWords.slice(0, update.finalFrom), ...update.finalWords];
  const newWord = update.latestWordEnd !== null && update.latestWordEnd !== state.latestWordEnd;
  return {
    finalWords,
    interimWords: update.interimWords,
    metrics: update.metrics,
    engine: update.engine,
    latestWordEnd: update.latestWordEnd,
    delayMs: newWord ? Math.max(0, Math.round((update.metrics.now - update.latestWordEnd!) * 1000)) : state.delayMs,
    engineAt: update.engineAt,
    updates: state.updates + 1,
    lastSeq: update.seq,
  };
}
