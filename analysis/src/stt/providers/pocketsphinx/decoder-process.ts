// Entry of the PocketSphinx child process (see native.ts for why it is a separate process).
//   --self-test   load the model, decode a second of silence, print one JSON line, exit.
import { MODEL_DIR, NativeDecoder } from './native.ts';

if (process.argv.includes('--self-test')) {
  const started = performance.now();
  const decoder = new NativeDecoder();
  decoder.startUtterance();
  decoder.process(new Int16Array(16_000));
  decoder.endUtterance();
  decoder.free();
  process.stdout.write(`${JSON.stringify({ ok: true, model: MODEL_DIR, loadMs: Math.round(performance.now() - started) })}\n`);
}
