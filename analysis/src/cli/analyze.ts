// npm run analyze -- <audio-or-video-file> [--json] [--engine pocketsphinx|deepgram]
//
// Runs an existing recording through the same streaming pipeline as a live answer (SttStream,
// the rolling transcript, the metrics), as fast as the engine allows, and prints the report:
// readable by default, the AnswerReport as JSON with --json (use `npm run -s` for clean JSON).
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@rehearse/core/config';
import { resolveFfmpegPath } from '@rehearse/core/ffmpeg';
import { LiveAnswer } from '../live/LiveAnswer.ts';
import type { AnswerReport } from '../live/types.ts';
import { DeepgramProvider } from '../stt/providers/deepgram/index.ts';
import { PocketSphinxProvider } from '../stt/providers/pocketsphinx/index.ts';
import { STT_SAMPLE_RATE, type AudioFrame, type SttProvider } from '../stt/types.ts';

const USAGE = 'usage: npm run analyze -- <audio-or-video-file> [--json] [--engine pocketsphinx|deepgram]';

function usage(message: string): never {
  process.stderr.write(`analyze: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** The file's first audio stream as 20 ms frames of 16 kHz mono, decoded by ffmpeg. */
async function* decode(ffmpegPath: string, file: string, failures: string[]): AsyncGenerator<AudioFrame> {
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

function readable(report: AnswerReport, file: string, label: string): string {
  const { summary: s } = report;
  const clock = (t: number) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}`;
  const lines = [
    `${file} — ${clock(report.durationSeconds)}, heard by ${label}`,
    '',
    report.words.map((w) => w.punctuated ?? w.text).join(' ') || '(no words heard)',
    '',
    `Pace      ${s.pace.overall.wpm === null ? '–' : Math.round(s.pace.overall.wpm)} wpm overall (target ${s.pace.target.min}–${s.pace.target.max}: ${s.pace.overall.state})`,
    `Words     ${s.words}`,
    `Fillers   ${s.fillers.count}${s.fillers.perMinute === null ? '' : ` (${s.fillers.perMinute.toFixed(1)}/min)`}${s.fillers.byPhrase.length ? `: ${s.fillers.byPhrase.map((f) => `${f.phrase} ×${f.count}`).join(', ')}` : ''}`,
    `Pauses    ${s.pauses.count}${s.pauses.longest ? `, longest ${s.pauses.longest.duration.toFixed(1)} s at ${clock(s.pauses.longest.start)}` : ''}`,
    `STAR      ${(['situation', 'task', 'action', 'result'] as const).map((p) => `${s.star[p].heard ? '✓' : '✗'} ${p}`).join('  ')}`,
  ];
  if (report.sttError) lines.push('', `Speech-to-text stopped early: ${report.sttError}`);
  return `${lines.join('\n')}\n`;
}

const { values, positionals } = (() => {
  try {
    return parseArgs({ options: { json: { type: 'boolean', default: false }, engine: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (error) {
    return usage((error as Error).message);
  }
})();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) usage(positionals.length === 0 ? 'name a file' : 'name one file');
const file = positionals[0]!;
await access(file).catch(() => usage(`cannot read ${file}`));

const config = loadConfigOrExit('analyze');
const engine = values.engine ?? (config.speech.deepgramApiKey ? 'deepgram' : 'pocketsphinx');
let providers: SttProvider[];
if (engine === 'pocketsphinx') providers = [new PocketSphinxProvider()];
else if (engine === 'deepgram') {
  if (!config.speech.deepgramApiKey) usage('--engine deepgram needs DEEPGRAM_API_KEY');
  providers = [new DeepgramProvider({ apiKey: config.speech.deepgramApiKey }), new PocketSphinxProvider()];
} else usage(`unknown engine ${engine}`);

const failures: string[] = [];
const live = new LiveAnswer({ providers, finishTimeoutMs: 60_000, logger: { warn: (_details, message) => process.stderr.write(`analyze: ${message}\n`) } });
let duration = 0;
live.feed(
  (async function* () {
    for await (const frame of decode(resolveFfmpegPath(config.ffmpegPath), file, failures)) {
      duration = (frame.startMs + 20) / 1000;
      yield frame;
    }
  })(),
);
await live.drained();
if (failures.length > 0) {
  live.close();
  process.stderr.write(`analyze: ${failures.join('; ')}\n`);
  process.exit(1);
}
const report = await live.finish(duration);
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : readable(report, file, providers[0]!.label));
process.exit(report.sttError ? 1 : 0);
