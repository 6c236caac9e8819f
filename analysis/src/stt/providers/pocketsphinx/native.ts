// koffi bindings to Debian's libpocketsphinx3 (PocketSphinx 5prealpha). Load this module only in
// the decoder child process: the library calls abort() on internal assertion failures, which
// would take the whole server down with it.
import koffi from 'koffi';

export const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

const lib = koffi.load('libpocketsphinx.so.3');
const base = koffi.load('libsphinxbase.so.3');
koffi.opaque('cmd_ln_t');
koffi.opaque('ps_decoder_t');
koffi.opaque('ps_seg_t');
koffi.opaque('logmath_t');

const psArgs = lib.func('void *ps_args()');
const cmdLnParse = lib.func('cmd_ln_t *cmd_ln_parse_r(cmd_ln_t *inout, void *defn, int argc, const char **argv, int strict)');
const cmdLnFree = lib.func('int cmd_ln_free_r(cmd_ln_t *cmdln)');
const psInit = lib.func('ps_decoder_t *ps_init(cmd_ln_t *config)');
const psFree = lib.func('int ps_free(ps_decoder_t *ps)');
const psStartUtt = lib.func('int ps_start_utt(ps_decoder_t *ps)');
const psEndUtt = lib.func('int ps_end_utt(ps_decoder_t *ps)');
const psProcessRaw = lib.func('int ps_process_raw(ps_decoder_t *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)');
const psGetHyp = lib.func('const char *ps_get_hyp(ps_decoder_t *ps, _Out_ int *best_score)');
const psGetInSpeech = lib.func('uint8_t ps_get_in_speech(ps_decoder_t *ps)');
const psSegIter = lib.func('ps_seg_t *ps_seg_iter(ps_decoder_t *ps)');
const psSegNext = lib.func('ps_seg_t *ps_seg_next(ps_seg_t *seg)');
const psSegWord = lib.func('const char *ps_seg_word(ps_seg_t *seg)');
const psSegFrames = lib.func('void ps_seg_frames(ps_seg_t *seg, _Out_ int *out_sf, _Out_ int *out_ef)');
const psSegProb = lib.func('int ps_seg_prob(ps_seg_t *seg, _Out_ int *out_ascr, _Out_ int *out_lscr, _Out_ int *out_lback)');
const psGetLogmath = lib.func('logmath_t *ps_get_logmath(ps_decoder_t *ps)');
const logmathExp = base.func('double logmath_exp(logmath_t *lmath, int logb_p)');

/** PocketSphinx's frame rate: segment times are in frames of 10 ms. */
export const FRAMES_PER_SECOND = 100;

/** One segment of the best hypothesis: a word or a filler such as <sil>, times in frames (inclusive). */
export interface Segment {
  word: string;
  startFrame: number;
  endFrame: number;
  /** Posterior probability 0..1 (1 when PocketSphinx has none to give). */
  probability: number;
}

export interface DecoderOptions {
  /** Extra PocketSphinx arguments, e.g. ['-fwdflat', 'no']. */
  args?: string[];
}

/** One PocketSphinx decoder over 16 kHz mono s16 audio. */
export class NativeDecoder {
  #config: unknown;
  #ps: unknown;

  constructor({ args = [] }: DecoderOptions = {}) {
    const argv = [
      '-hmm', `${MODEL_DIR}/en-us`,
      '-lm', `${MODEL_DIR}/en-us.lm.bin`,
      '-dict', `${MODEL_DIR}/cmudict-en-us.dict`,
      '-logfn', '/dev/null',
      ...args,
    ];
    this.#config = cmdLnParse(null, psArgs(), argv.length, argv, 1);
    if (!this.#config) throw new Error('PocketSphinx rejected its arguments');
    this.#ps = psInit(this.#config);
    if (!this.#ps) {
      cmdLnFree(this.#config);
      throw new Error(`PocketSphinx could not load its model from ${MODEL_DIR}`);
    }
  }

  startUtterance(): void {
    if (psStartUtt(this.#ps) < 0) throw new Error('ps_start_utt failed');
  }

  process(samples: Int16Array): void {
    if (psProcessRaw(this.#ps, samples, samples.length, 0, 0) < 0) throw new Error('ps_process_raw failed');
  }

  hypothesis(): string {
    const score = [0];
    return (psGetHyp(this.#ps, score) as string | null) ?? '';
  }

  /** Whether the last audio processed contained speech (the decoder's voice activity detector). */
  inSpeech(): boolean {
    return psGetInSpeech(this.#ps) !== 0;
  }

  /** The best hypothesis's segments so far (after endUtterance: the final ones), frames from the utterance start. */
  segments(): Segment[] {
    const out: Segment[] = [];
    const logmath = psGetLogmath(this.#ps);
    for (let seg = psSegIter(this.#ps); seg; seg = psSegNext(seg)) {
      const start = [0];
      const end = [0];
      psSegFrames(seg, start, end);
      const logProbability = psSegProb(seg, [0], [0], [0]) as number;
      out.push({ word: psSegWord(seg) as string, startFrame: start[0]!, endFrame: end[0]!, probability: Math.min(1, logmathExp(logmath, logProbability) as number) });
    }
    return out;
  }

  endUtterance(): void {
    if (psEndUtt(this.#ps) < 0) throw new Error('ps_end_utt failed');
  }

  free(): void {
    psFree(this.#ps);
    cmdLnFree(this.#config);
  }
}
