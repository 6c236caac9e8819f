// koffi bindings to Debian's libpocketsphinx3 (PocketSphinx 5prealpha). Load this module only in
// the decoder child process: the library calls abort() on internal assertion failures, which
// would take the whole server down with it.
import koffi from 'koffi';

export const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

const lib = koffi.load('libpocketsphinx.so.3');
koffi.opaque('cmd_ln_t');
koffi.opaque('ps_decoder_t');

const psArgs = lib.func('void *ps_args()');
const cmdLnParse = lib.func('cmd_ln_t *cmd_ln_parse_r(cmd_ln_t *inout, void *defn, int argc, const char **argv, int strict)');
const cmdLnFree = lib.func('int cmd_ln_free_r(cmd_ln_t *cmdln)');
const psInit = lib.func('ps_decoder_t *ps_init(cmd_ln_t *config)');
const psFree = lib.func('int ps_free(ps_decoder_t *ps)');
const psStartUtt = lib.func('int ps_start_utt(ps_decoder_t *ps)');
const psEndUtt = lib.func('int ps_end_utt(ps_decoder_t *ps)');
const psProcessRaw = lib.func('int ps_process_raw(ps_decoder_t *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)');
const psGetHyp = lib.func('const char *ps_get_hyp(ps_decoder_t *ps, _Out_ int *best_score)');

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

  endUtterance(): void {
    if (psEndUtt(this.#ps) < 0) throw new Error('ps_end_utt failed');
  }

  free(): void {
    psFree(this.#ps);
    cmdLnFree(this.#config);
  }
}
