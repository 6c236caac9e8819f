import { describe, expect, it } from 'vitest';
import { applyEvent, emptyTranscript, type TranscriptState } from './rolling.ts';
import type { SpeechEvent, TimedWord } from './types.ts';

const w = (punctuated: string, start: number, end: number): TimedWord => ({
  text: punctuated.toLowerCase().replace(/[^a-z']/g, ''),
  start,
  end,
  confidence: 0.9,
  punctuated,
});
const run = (...events: SpeechEvent[]): TranscriptState => events.reduce(applyEvent, emptyTranscript());
const interim = (...words: TimedWord[]): SpeechEvent => ({ type: 'interim', words });
const final = (...words: TimedWord[]): SpeechEvent => ({ type: 'final', words });

describe('rolling transcript', () => {
  it('commits finals in time order and joins their punctuated text', () => {
    const state = run(final(w('So,', 0, 0.3), w('I', 0.4, 0.5)), final(w('built', 0.6, 0.9), w('it.', 1.0, 1.2)));
    expect(state.finalWords.map((word) => word.text)).toEqual(['so', 'i', 'built', 'it']);
    expect(state).toMatchObject({ finalText: 'So, I built it.', interimText: '', text: 'So, I built it.' });
  });

  it('replaces the previous interim instead of adding to it', () => {
    const state = run(interim(w('I', 0, 0.2), w('bill', 0.3, 0.6)), interim(w('I', 0, 0.2), w('built', 0.3, 0.6), w('a', 0.7, 0.8)));
    expect(state.interimWords.map((word) => word.text)).toEqual(['i', 'built', 'a']);
    expect(state).toMatchObject({ finalText: '', interimText: 'I built a', text: 'I built a' });
  });

  it('drops interim words that committed finals cover, even with slightly different times', () => {
    // The engine re-sends its guess for the whole segment: "I built" is final already.
    const state = run(final(w('I', 0, 0.2), w('built', 0.3, 0.6)), interim(w('I', 0.02, 0.22), w('built', 0.28, 0.58), w('a', 0.7, 0.8), w('cache', 0.9, 1.3)));
    expect(state.interimWords.map((word) => word.text)).toEqual(['a', 'cache']);
    expect(state.text).toBe('I built a cache');
  });

  it('keeps a next word that starts a little before the last final ends (its midpoint is after)', () => {
    const state = run(final(w('I', 0, 0.5)), interim(w('built', 0.45, 0.9)));
    expect(state.text).toBe('I built');
  });

  it('removes the interim words a final replaces and keeps those after it, so nothing shows twice', () => {
    const state = run(
      interim(w('I', 0, 0.2), w('built', 0.3, 0.6), w('a', 0.7, 0.8), w('cash', 0.9, 1.3)),
      final(w('I', 0, 0.2), w('built', 0.3, 0.6)),
    );
    expect(state.finalText).toBe('I built');
    expect(state.interimText).toBe('a cash');
    expect(state.text).toBe('I built a cash');
  });

  it('ignores an empty interim, so the pending words do not vanish and come back with the final', () => {
    const before = run(final(w('I', 0, 0.2)), interim(w('built', 0.3, 0.6)));
    const after = applyEvent(before, interim());
    expect(after.text).toBe('I built');
    expect(after).toBe(before);
  });

  it('ignores a final sent twice and inserts a late final in time order', () => {
    const once = run(final(w('I', 0, 0.2), w('built', 0.3, 0.6)), final(w('it.', 1.5, 1.7)));
    const twice = applyEvent(once, final(w('I', 0, 0.2), w('built', 0.3, 0.6)));
    expect(twice.finalWords).toEqual(once.finalWords);
    expect(twice.finalText).toBe('I built it.');
    const late = applyEvent(once, final(w('all', 0.8, 1.0), w('of', 1.1, 1.3), w('built', 0.31, 0.59)));
    expect(late.finalWords.map((word) => word.start)).toEqual([0, 0.3, 0.8, 1.1, 1.5]);
    expect(late.finalText).toBe('I built all of it.');
  });

  it('on utterance end drops interim words the engine did not finalise, keeping later ones', () => {
    const state = run(final(w('Done.', 0, 0.4)), interim(w('uh', 0.5, 0.7), w('Next', 2.0, 2.3)), { type: 'utteranceEnd', lastWordEnd: 0.9 });
    expect(state.interimText).toBe('Next');
    expect(state.heardUntil).toBe(2.3);
  });

  it('derives voice activity: speaking after speechStarted until words arrive, then silent since the last word', () => {
    expect(emptyTranscript().voice).toEqual({ speaking: false, since: 0 });
    const started = run(final(w('Hi.', 0, 0.5)), { type: 'speechStarted', at: 2 });
    expect(started.voice).toEqual({ speaking: true, since: 2 });
    const heard = applyEvent(started, interim(w('So', 2.1, 2.4)));
    expect(heard.voice).toEqual({ speaking: false, since: 2.4 });
    expect(applyEvent(heard, { type: 'utteranceEnd', lastWordEnd: 2.6 }).voice).toEqual({ speaking: false, since: 2.6 });
  });

  it('never changes the state it was given', () => {
    const first = run(final(w('I', 0, 0.2)), interim(w('built', 0.3, 0.6)));
    const snapshot = structuredClone(first);
    applyEvent(first, final(w('built', 0.3, 0.6), w('it', 0.7, 0.9)));
    applyEvent(first, final(w('Hey', 0.0, 0.05)));
    applyEvent(first, { type: 'utteranceEnd', lastWordEnd: 5 });
    expect(first).toEqual(snapshot);
  });

  it('rejects words without valid times', () => {
    expect(() => run(final(w('x', 1, 0.5)))).toThrow(TypeError);
    expect(() => run(interim(w('x', Number.NaN, 1)))).toThrow(TypeError);
    expect(() => run({ type: 'speechStarted', at: -1 })).toThrow(TypeError);
  });
});
