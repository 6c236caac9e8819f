export { genericness, GENERIC_DEFAULTS, type GenericOptions, type Genericness, type StockPhrase } from './generic.ts';
export { candidateProbability, fingerprint, similarity, FINGERPRINT_DEFAULTS, SIMILAR_THRESHOLD, type Fingerprint, type FingerprintOptions } from './minhash.ts';
export { originality, type Originality, type OriginalityOptions } from './originality.ts';
