// Fingerprints for "similar to other users' answers" without anyone's text leaving its row: an
// answer is stored as a MinHash signature of its word 3-shingles plus LSH band keys. A database finds
// candidates by band overlap (a GIN index over a text[] column: `bands && $1`), the caller compares
// the candidates' signatures with `similarity`, and only a score and a count reach the product.
//
// Shingles are word k-grams over the answer's wording (./wording.ts: fillers dropped, contractions
// spelt out). Stopwords are kept on purpose: a copied answer keeps its phrasing ("i took the
// initiative to set up"), and without the small words two different stories about the same topic
// would share their topic words' shingles ("customer refund billing") instead. Answers are short
// (100–400 words), so every shingle counts.
//
// Bands: 128 hashes in 32 bands of 4 rows. A pair with Jaccard s shares at least one band with
// probability 1 − (1 − s⁴)³²:
//   s    0.1     0.2    0.3    0.4    0.5    0.6    0.7    0.8
//   P    0.003   0.05   0.23   0.56   0.87   0.99   1.00   1.00
// The curve's midpoint, (1/32)^(1/4) ≈ 0.42, sits below SIMILAR_THRESHOLD (0.5) so that largely
// copied answers are nearly always fetched (87% at 0.5, 99% at 0.6), while different answers to the
// same question (s ≈ 0.02–0.1, from shared phrases like "the customer was") almost never are; the
// candidates are then checked with `similarity` anyway.
//
// Signatures are comparable only with the same shingle size, hash count and seed: changing any of
// FINGERPRINT_DEFAULTS but `minShingles` means recomputing every stored fingerprint.
import type { TimedWord } from '../transcript/types.ts';
import { withDefaults } from '../metrics/options.ts';
import { wordingOf, wordsOfText } from './wording.ts';

export interface FingerprintOptions {
  /** Words per shingle. */
  shingleSize: number;
  /** MinHash values in a signature. */
  hashes: number;
  /** LSH bands; each has hashes / bands rows. */
  bands: number;
  /** Fewer distinct shingles than this: too short to fingerprint (null). */
  minShingles: number;
  /** Seed of the hash family (an unsigned 32-bit integer). */
  seed: number;
}

export const FINGERPRINT_DEFAULTS: Readonly<FingerprintOptions> = { shingleSize: 3, hashes: 128, bands: 32, minShingles: 20, seed: 0x9747b28c };

/** Estimated Jaccard of 3-shingles at or above which an answer is largely someone else's: half the
 * three-word sequences of the two answers in common is far beyond what shared stock phrases and topic
 * words produce (different answers to one question sit around 0.02–0.1). */
export const SIMILAR_THRESHOLD = 0.5;

export interface Fingerprint {
  /** MinHash signature: `hashes` unsigned 32-bit values. */
  signature: number[];
  /** LSH band keys "b<band>:<8 hex digits>"; two answers are candidates when they share a key. */
  bands: string[];
  /** Distinct shingles the signature summarises. */
  shingles: number;
}

// ---- hashing (MurmurHash3 x86 32-bit, written out so browser and server agree without a dependency) ----

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixKey(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixHash(h: number, k: number): number {
  h ^= mixKey(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();

/** MurmurHash3 (x86, 32-bit) of the UTF-8 bytes of `text`. */
export function murmur3(text: string, seed = 0): number {
  const bytes = encoder.encode(text);
  const blocks = bytes.length & ~3;
  let h = seed | 0;
  for (let i = 0; i < blocks; i += 4) h = mixHash(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= bytes[blocks + 2]! << 16;
    if (rest >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    h ^= mixKey(k);
  }
  return finish(h, bytes.length);
}

/** MurmurHash3 of unsigned 32-bit integers taken as little-endian 4-byte blocks. */
function murmur3Ints(values: readonly number[], seed: number): number {
  let h = seed | 0;
  for (const value of values) h = mixHash(h, value);
  return finish(h, values.length * 4);
}

// ---- fingerprints ------------------------------------------------------------------------------

export function resolveFingerprintOptions(given?: Partial<FingerprintOptions>): FingerprintOptions {
  const options = withDefaults(FINGERPRINT_DEFAULTS, given, 'fingerprint');
  for (const key of ['shingleSize', 'hashes', 'bands', 'minShingles'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) throw new TypeError(`fingerprint.${key} must be a whole number ≥ 1 (got ${options[key]})`);
  }
  if (options.hashes % options.bands !== 0) throw new TypeError(`fingerprint.bands must divide fingerprint.hashes (got ${options.bands} and ${options.hashes})`);
  if (!Number.isInteger(options.seed) || options.seed > 0xffffffff) throw new TypeError(`fingerprint.seed must be an unsigned 32-bit integer (got ${options.seed})`);
  return options;
}

/**
 * The answer's MinHash signature and LSH band keys, or null when it has fewer than `minShingles`
 * distinct shingles (a sentence or two: too little to call a copy). Deterministic: the same words
 * give the same fingerprint on every machine.
 */
export function fingerprint(input: readonly TimedWord[] | string, given?: Partial<FingerprintOptions>): Fingerprint | null {
  const { shingleSize, hashes, bands, minShingles, seed } = resolveFingerprintOptions(given);
  const { tokens } = wordingOf(typeof input === 'string' ? wordsOfText(input) : input);
  const shingles = new Set<string>();
  for (let i = 0; i + shingleSize <= tokens.length; i++) shingles.add(tokens.slice(i, i + shingleSize).join(' '));
  if (shingles.size < minShingles) return null;

  // One seeded MurmurHash3 per signature position over each shingle's 32-bit hash: a family of
  // independent-looking permutations, so each position's minimum is a fresh sample of the set.
  const seeds = Array.from({ length: hashes }, (_, i) => murmur3Ints([i], seed));
  const signature = new Array<number>(hashes).fill(0xffffffff);
  for (const shingle of shingles) {
    const base = murmur3(shingle, seed);
    for (let i = 0; i < hashes; i++) {
      const value = murmur3Ints([base], seeds[i]!);
      if (value < signature[i]!) signature[i] = value;
    }
  }

  // 32-bit band keys: a chance collision only adds a candidate, which `similarity` then rejects.
  const rows = hashes / bands;
  const keys = Array.from({ length: bands }, (_, b) => `b${b}:${murmur3Ints(signature.slice(b * rows, (b + 1) * rows), seed).toString(16).padStart(8, '0')}`);
  return { signature, bands: keys, shingles: shingles.size };
}

/** Estimated Jaccard similarity of two answers' shingle sets: the fraction of equal positions. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) {
    throw new TypeError(`signatures must be non-empty and of equal length (got ${a.length} and ${b.length}): were they made with the same options?`);
  }
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/** Probability that a pair with Jaccard `s` shares at least one band: 1 − (1 − s^rows)^bands. */
export function candidateProbability(s: number, given?: Partial<Pick<FingerprintOptions, 'hashes' | 'bands'>>): number {
  const { hashes, bands } = resolveFingerprintOptions(given);
  return 1 - (1 - s ** (hashes / bands)) ** bands;
}
