// Entry of the PocketSphinx child process (see native.ts for why it is a separate process).
//   --self-test   load the model, decode a second of silence, print one JSON line, exit.
//   (default)     stream: framed messages on stdin (protocol.ts), one JSON event per line on stdout.
import { FRAMES_PER_SECOND, MODEL_DIR, NativeDecoder, type Segment } from './native.ts';
import { MessageReader, MessageType, type DecoderEvent, type DecoderWord } from './protocol.ts';

const SAMPLE_RATE = 16000;
/** A partial hypothesis at most this often (in samples of audio): about four a second. */
const PARTIAL_EVERY_SAMPLES = SAMPLE_RATE / 4;

function emit(event: DecoderEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

/** Real words only (no <s>, </s>, <sil>, [NOISE], ++FILLER++), alternate pronunciations folded ("read(2)" → "read"). */
function wordsOf(segments: Segment[], offsetSeconds: number): DecoderWord[] {
  return segments
    .filter((s) => !/^(<.*>|\[.*\]|\+\+?.*\+\+?)$/.test(s.word))
    .map((s) => ({
      text: s.word.replace(/\(\d+\)$/, ''),
      start: offsetSeconds + s.startFrame / FRAMES_PER_SECOND,
      end: offsetSeconds + (s.endFrame + 1) / FRAMES_PER_SECOND,
      confidence: s.probability,
    }));
}

/**
 * Finals come when the decoder's voice detector hears speech end (after its 0.5 s hangover). A
 * candidate who talks on without such a pause would get no finals, and live metrics read only
 * finals; so once an utterance is longer than this, it is cut at the last word boundary at least
 * SPLIT_MARGIN_SECONDS back: the utterance ends there (finals for the words before), and the audio
 * after the boundary is decoded again as the start of the next one.
 */
const SPLIT_AFTER_SECONDS = 3;
const SPLIT_MARGIN_SECONDS = 0.6;

function stream(): void {
  const decoder = new NativeDecoder({ args: ['-remove_silence', 'no'] });
  decoder.startUtterance();
  emit({ type: 'ready', model: MODEL_DIR });
  /** The current utterance's audio, kept to decode its tail again after a cut. */
  let utterance: Int16Array[] = [];
  let processed = 0;
  let utteranceStart = 0;
  // PocketSphinx numbers frames from the start of the stream, not of the utterance, and counts the
  // tails decoded twice: `fed` is what it was given, so a frame's time is utteranceStart + (frame − fed at the start).
  let fed = 0;
  let fedAtStart = 0;
  const offset = () => (utteranceStart - fedAtStart) / SAMPLE_RATE;
  // A word the previous utterance ended with may be heard again at the start of the re-decoded tail.
  const currentWords = () => wordsOf(decoder.segments(), offset()).filter((w) => (w.start + w.end) / 2 >= utteranceStart / SAMPLE_RATE);
  const feed = (samples: Int16Array) => {
    decoder.process(samples);
    fed += samples.length;
  };
  let speaking = false;
  let lastPartialAt = 0;
  let lastPartial = '';

  /** Ends the utterance; finals for words ending by `cut` (absolute sample, default: all), which starts the next. */
  const endUtterance = (cut = processed) => {
    decoder.endUtterance();
    const words = currentWords().filter((w) => (w.start + w.end) / 2 <= cut / SAMPLE_RATE);
    emit({ type: 'final', words, until: cut / SAMPLE_RATE });
    if (words.length > 0 && cut === processed) emit({ type: 'utteranceEnd', lastWordEnd: words.at(-1)!.end });
    const tail = samplesAfter(utterance, cut - utteranceStart);
    decoder.startUtterance();
    utteranceStart = cut;
    fedAtStart = fed;
    utterance = [];
    lastPartial = '';
    if (tail.length > 0) {
      feed(tail);
      utterance.push(tail);
    }
  };

  /** Where to cut a long utterance: the end of its last word that ended SPLIT_MARGIN before now, if any. */
  const cutPoint = (): number | null => {
    const now = processed / SAMPLE_RATE;
    const words = currentWords();
    for (let i = words.length - 1; i >= 0; i--) {
      if (words[i]!.end <= now - SPLIT_MARGIN_SECONDS) return Math.round(words[i]!.end * SAMPLE_RATE);
    }
    return null;
  };

  const onAudio = (samples: Int16Array) => {
    feed(samples);
    utterance.push(samples);
    processed += samples.length;
    const inSpeech = decoder.inSpeech();
    if (inSpeech && !speaking) emit({ type: 'speechStarted', at: (processed - samples.length) / SAMPLE_RATE });
    if (!inSpeech && speaking) {
      // The detector heard the end of speech: what was said is final.
      speaking = false;
      endUtterance();
      return;
    }
    speaking = inSpeech;
    if (!speaking || processed - lastPartialAt < PARTIAL_EVERY_SAMPLES) return;
    lastPartialAt = processed;
    if ((processed - utteranceStart) / SAMPLE_RATE > SPLIT_AFTER_SECONDS) {
      const cut = cutPoint();
      if (cut !== null && cut > utteranceStart) {
        endUtterance(cut);
        return;
      }
    }
    const words = currentWords();
    const text = words.map((w) => w.text).join(' ');
    if (text !== lastPartial) emit({ type: 'interim', words });
    lastPartial = text;
  };

  const reader = new MessageReader();
  process.stdin.on('data', (chunk: Buffer) => {
    for (const message of reader.push(chunk)) {
      if (message.type === MessageType.Audio) onAudio(message.samples);
      else if (message.type === MessageType.Finalize) endUtterance();
      else if (message.type === MessageType.End) {
        endUtterance();
        // Everything is said: the parent goes on now, not after the model is freed and we exit.
        emit({ type: 'done' });
        decoder.free();
        process.stdout.end(() => process.exit(0));
        return;
      }
    }
  });
  // The parent is gone without saying End: nothing to finish for.
  process.stdin.on('end', () => process.exit(0));
}

/** The samples of `chunks` from index `from` on, as one array. */
function samplesAfter(chunks: Int16Array[], from: number): Int16Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Int16Array(Math.max(0, total - from));
  let at = 0;
  let skipped = 0;
  for (const chunk of chunks) {
    const skip = Math.min(chunk.length, Math.max(0, from - skipped));
    skipped += skip;
    out.set(chunk.subarray(skip), at);
    at += chunk.length - skip;
  }
  return out;
}

if (process.argv.includes('--self-test')) {
  const started = performance.now();
  const decoder = new NativeDecoder();
  decoder.startUtterance();
  decoder.process(new Int16Array(16_000));
  decoder.endUtterance();
  decoder.free();
  process.stdout.write(`${JSON.stringify({ ok: true, model: MODEL_DIR, loadMs: Math.round(performance.now() - started) })}\n`);
} else {
  stream();
}
