// A recording through the same streaming pipeline as a live answer (SttStream, the rolling
// transcript, the metrics), as fast as the engine allows: what `npm run analyze` and `npm run eval`
// both run, so the accuracy the harness measures is the CLI's.
import { spawn } from 'node:child_process';
import { FilledPauseDetector, type FilledPause } from '../acoustics/filledPauses.ts';
import { LiveAnswer } from '../live/LiveAnswer.ts';
import type { AnswerReport } from '../live/types.ts';
import { DeepgramProvider } from '../stt/providers/deepgram/index.ts';
import { PocketSphinxProvider } from '../stt/providers/pocketsphinx/index.ts';
import { STT_SAMPLE_RATE, type AudioFrame, type SttProvider } from '../stt/types.ts';

export type Engine = 'pocketsphinx' | 'deepgram';

export class AnalyzeError extends Error {}

/** The file's first audio stream as 20 ms frames of 16 kHz mono, decoded by ffmpeg. */
export async function* decodeFile(ffmpegPath: string, file: string, failures: string[]): AsyncGenerator<AudioFrame> {
  const ffmpeg = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', String(STT_SAMPLE_RATE), '-f', 's16le', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => ffmpeg.once('close', resolve));
  ffmpeg.once('error', (error) => failures.push(`ffmpeg could not run: ${error.message}`));
  let pending: Buffer = Buffer.alloc(0);
  let samples = 0;
  for await (const chunk of ffmpeg.stdout as AsyncIterable<Buffer>) {
    pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 640) {
      const frame = new Int16Array(320);
      for (let i = 0; i < 320; i++) frame[i] = pending.readInt16LE(i * 2);
      pending = pending.subarray(640);
      yield { samples: frame, startMs: (samples / STT_SAMPLE_RATE) * 1000 };
      samples += 320;
    }
  }
  if ((await exited) !== 0) failures.push(`ffmpeg could not decode ${file}: ${stderr.trim().split('\n').at(-1) ?? 'no audio'}`);
  else if (samples === 0) failures.push(`${file} has no audio`);
}

export function providersFor(engine: Engine, deepgramApiKey: string | undefined): SttProvider[] {
  if (engine === 'pocketsphinx') return [new PocketSphinxProvider()];
  if (!deepgramApiKey) throw new AnalyzeError('--engine deepgram needs DEEPGRAM_API_KEY');
  return [new DeepgramProvider({ apiKey: deepgramApiKey }), new PocketSphinxProvider()];
}

export interface AnalyzeOptions {
  ffmpegPath: string;
  providers: SttProvider[];
  warn?: (message: string) => void;
  /** See LiveAnswerOptions.filledPauses. */
  filledPauses?: boolean;
}

/** The answer report of `file`; throws AnalyzeError when the file cannot be decoded. */
export async function analyzeFile(file: string, { ffmpegPath, providers, warn = () => {}, filledPauses = true }: AnalyzeOptions): Promise<AnswerReport> {
  const failures: string[] = [];
  const live = new LiveAnswer({ providers, finishTimeoutMs: 60_000, logger: { warn: (_details, message) => warn(message) }, filledPauses });
  let duration = 0;
  live.feed(
    (async function* () {
      for await (const frame of decodeFile(ffmpegPath, file, failures)) {
        duration = (frame.startMs + 20) / 1000;
        yield frame;
      }
    })(),
  );
  await live.drained();
  if (failures.length > 0) {
    live.close();
    throw new AnalyzeError(failures.join('; '));
  }
  return live.finish(duration);
}

/** What the filled-pause detector hears in `file` on its own (for the accuracy harness's studies). */
export async function filledPausesInFile(ffmpegPath: string, file: string): Promise<FilledPause[]> {
  const failures: string[] = [];
  const detector = new FilledPauseDetector();
  let end = 0;
  for await (const frame of decodeFile(ffmpegPath, file, failures)) {
    detector.push(frame);
    end = frame.startMs + 20;
  }
  // Half a second of silence closes a stretch still open at the end of the file.
  for (let k = 0; k < 25; k++) detector.push({ samples: new Int16Array(320), startMs: end + k * 20 });
  if (failures.length > 0) throw new AnalyzeError(failures.join('; '));
  return detector.take();
}
