// npm run analyze -- <audio-or-video-file> [--json] [--engine pocketsphinx|deepgram]
//
// Runs an existing recording through the same streaming pipeline as a live answer (SttStream,
// the rolling transcript, the metrics), as fast as the engine allows, and prints the report:
// readable by default, the AnswerReport as JSON with --json (use `npm run -s` for clean JSON).
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@rehearse/core/config';
import { resolveFfmpegPath } from '@rehearse/core/ffmpeg';
import type { AnswerReport } from '../live/types.ts';
import type { SttProvider } from '../stt/types.ts';
import { AnalyzeError, analyzeFile, type Engine, providersFor } from './pipeline.ts';

const USAGE = 'usage: npm run analyze -- <audio-or-video-file> [--json] [--engine pocketsphinx|deepgram]';

function usage(message: string): never {
  process.stderr.write(`analyze: ${message}\n${USAGE}\n`);
  process.exit(2);
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
if (engine !== 'pocketsphinx' && engine !== 'deepgram') usage(`unknown engine ${engine}`);
let providers: SttProvider[] = [];
try {
  providers = providersFor(engine as Engine, config.speech.deepgramApiKey ?? undefined);
} catch (error) {
  usage((error as Error).message);
}
let report: AnswerReport;
try {
  report = await analyzeFile(file, { ffmpegPath: resolveFfmpegPath(config.ffmpegPath), providers, warn: (message) => process.stderr.write(`analyze: ${message}\n`) });
} catch (error) {
  if (!(error instanceof AnalyzeError)) throw error;
  process.stderr.write(`analyze: ${error.message}\n`);
  process.exit(1);
}
// Exit once the report is written: process.exit() straight after write() cuts a piped report off
// at the pipe's buffer (64 KB), which a long answer's JSON exceeds.
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : readable(report, file, providers[0]!.label), () => process.exit(report.sttError ? 1 : 0));
