// `npm run analyze`: an existing recording through the same pipeline as a live answer.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..');
const SCRIPT = 'So the situation was that our billing system kept failing every night. My task was to find out why. I basically rewrote the import job, and as a result failures dropped to zero.';

function analyze(...args: string[]) {
  return run(process.execPath, ['analysis/src/cli/analyze.ts', ...args], { cwd: repoRoot, env: { ...process.env, DEEPGRAM_API_KEY: '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('npm run analyze', () => {
  let dir: string;
  let video: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-analyze-'));
    const wav = path.join(dir, 'speech.wav');
    video = path.join(dir, 'answer.webm');
    await run('flite', ['-voice', 'slt', '-t', SCRIPT, '-o', wav]);
    // A recording as the product makes them: VP8 video and Opus audio in WebM.
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=160x120:d=12', '-i', wav, '-shortest', '-c:v', 'libvpx', '-c:a', 'libopus', video]);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the report of a recording as JSON: transcript with times, pace, fillers, STAR', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await analyze(video, '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as { engine: string; words: { text: string; start: number }[]; summary: { words: number; pace: { overall: { wpm: number } }; fillers: { lexical: number }; star: { heard: string[] } }; durationSeconds: number };
    expect(report.engine).toBe('pocketsphinx');
    expect(Math.abs(report.words.length - SCRIPT.split(/\s+/).length)).toBeLessThanOrEqual(5);
    expect(report.summary.words).toBe(report.words.length);
    expect(report.summary.pace.overall.wpm).toBeGreaterThan(120);
    expect(report.summary.fillers.lexical).toBeGreaterThanOrEqual(1);
    expect(report.summary.star.heard).toContain('situation');
    expect(report.durationSeconds).toBeGreaterThan(9);
  });

  it('writes a long report through a pipe whole (more than the pipe buffer of 64 KB)', { timeout: 300_000 }, async () => {
    const long = path.join(dir, 'long.wav');
    // Long enough that the report passes 64 KB even when a busy machine's engine hears fewer words.
    await run('flite', ['-voice', 'slt', '-t', Array(20).fill(SCRIPT).join(' '), '-o', long]);
    // Through a shell pipe, as `npm run -s analyze -- x --json | jq` would read it.
    const { stdout } = await run('sh', ['-c', `"${process.execPath}" analysis/src/cli/analyze.ts "${long}" --json | cat`], { cwd: repoRoot, env: { ...process.env, DEEPGRAM_API_KEY: '' }, maxBuffer: 16 << 20 });
    expect(stdout.length).toBeGreaterThan(65_536);
    expect((JSON.parse(stdout) as { durationSeconds: number }).durationSeconds).toBeGreaterThan(100);
  });

  it('prints a readable report by default', { timeout: 60_000 }, async () => {
    const { code, stdout } = await analyze(video, '--engine', 'pocketsphinx');
    expect(code).toBe(0);
    expect(stdout).toContain('rough local engine');
    expect(stdout).toMatch(/Pace\s+\d+ wpm/);
    expect(stdout).toMatch(/situation was that our billing system/);
  });

  it('says what is wrong with bad input, with exit codes 2 (usage) and 1 (the file)', { timeout: 30_000 }, async () => {
    const missing = await analyze(path.join(dir, 'nope.webm'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect((await analyze()).stderr).toContain('name a file');
    const engine = await analyze(video, '--engine', 'whisper');
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain('unknown engine whisper');
    const deepgram = await analyze(video, '--engine', 'deepgram');
    expect(deepgram.stderr).toContain('DEEPGRAM_API_KEY');
    const silentVideo = path.join(dir, 'no-audio.webm');
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=160x120:d=1', '-c:v', 'libvpx', silentVideo]);
    const noAudio = await analyze(silentVideo);
    expect(noAudio.code).toBe(1);
    expect(noAudio.stderr).toMatch(/could not decode|has no audio/);
  });
});
