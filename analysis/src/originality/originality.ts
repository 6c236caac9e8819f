// What the product shows about an answer's originality: whether it is too generic (./generic.ts)
// and whether it is largely the same as other users' answers (./minhash.ts). Other answers arrive as
// signatures only — the caller fetched them by band overlap — and leave as a score and a count, so
// no one's words are ever shown to anyone else.
import type { TimedWord } from '../transcript/types.ts';
import { genericness, type GenericOptions, type Genericness } from './generic.ts';
import { fingerprint, similarity, SIMILAR_THRESHOLD, type Fingerprint, type FingerprintOptions } from './minhash.ts';

export interface OriginalityOptions {
  generic?: Partial<GenericOptions>;
  /** Must be the options the others' signatures were made with. */
  fingerprint?: Partial<FingerprintOptions>;
  /** Estimated Jaccard at or above which another answer counts as the same (default SIMILAR_THRESHOLD). */
  similarThreshold?: number;
}

export interface Originality {
  generic: Genericness;
  /** Against the signatures given: the highest estimated Jaccard and how many reach the threshold.
   * Null when no signatures were given or the answer is too short to fingerprint. */
  similar: { score: number; count: number } | null;
  flagged: boolean;
  /** What to tell the candidate when flagged. */
  message: string | null;
}

export function originality(
  { words, others, own: given }: { words: readonly TimedWord[]; others?: ReadonlyArray<readonly number[]>; /** This answer's fingerprint, when the caller has made it already. */ own?: Fingerprint | null },
  options: OriginalityOptions = {},
): Originality {
  const threshold = options.similarThreshold ?? SIMILAR_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new TypeError(`similarThreshold must be in (0, 1] (got ${threshold})`);
  const generic = genericness(words, options.generic);
  const own = others ? (given !== undefined ? given : fingerprint(words, options.fingerprint)) : null;
  let similar: Originality['similar'] = null;
  if (own && others) {
    const scores = others.map((signature) => similarity(own.signature, signature));
    similar = { score: Math.max(0, ...scores), count: scores.filter((score) => score >= threshold).length };
  }

  const messages: string[] = [];
  if (similar && similar.count > 0) {
    const whose = similar.count === 1 ? 'another user’s answer' : `${similar.count} other users’ answers`;
    messages.push(`This answer is largely the same as ${whose} (about ${Math.round(similar.score * 100)}% of its wording in common). Interviewers recognise memorised answers: tell your own story in your own words.`);
  }
  if (generic.generic) {
    const phrases = [...new Set(generic.stockPhrases.map((hit) => hit.phrase))].slice(0, 3).map((phrase) => `“${phrase}”`);
    messages.push(`This answer leans on stock phrases (${phrases.join(', ')}) and gives few specifics. Replace each with what you did: a name, a number, a date.`);
  }
  return { generic, similar, flagged: messages.length > 0, message: messages.length > 0 ? messages.join(' ') : null };
}
