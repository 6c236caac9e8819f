// Speech fixtures: flite reads a script aloud (the only offline voices this engine understands
// well), resampled by ffmpeg to what engines take.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { STT_SAMPLE_RATE, type AudioFrame } from '@rehearse/analysis';

const run = promisify(execFile);

export interface Speech {
  samples: Int16Array;
  /** Seconds from the first to the last audible sample: the span a speaking rate is measured over. */
  speechStart: number;
  speechEnd: number;
}

/** `text` spoken by flite's `voice`; `stretch` > 1 speaks slower, < 1 faster. */
export async function fliteSpeech(text: string, { voice = 'slt', stretch = 1 }: { voice?: string; stretch?: number } = {}): Promise<Speech> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-speech-'));
  try {
    const wav = path.join(dir, 'speech.wav');
    const raw = path.join(dir, 'speech.raw');
    await run('flite', ['-voice', voice, '--setf', `duration_stretch=${stretch}`, '-t', text, '-o', wav]);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-ar', String(STT_SAMPLE_RATE), '-ac', '1', '-f', 's16le', raw]);
    const bytes = await readFile(raw);
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1).slice();
    const audible = (s: number) => Math.abs(s) > 300;
    const first = samples.findIndex(audible);
    const last = samples.findLastIndex(audible);
    return { samples, speechStart: first / STT_SAMPLE_RATE, speechEnd: (last + 1) / STT_SAMPLE_RATE };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Audio as the media server's fork delivers it: 20 ms frames from `startMs` on. */
export function* framesOf(samples: Int16Array, startMs = 0): Generator<AudioFrame> {
  for (let i = 0; i < samples.length; i += 320) {
    const frame = new Int16Array(320);
    frame.set(samples.subarray(i, i + 320));
    yield { samples: frame, startMs: startMs + (i / STT_SAMPLE_RATE) * 1000 };
  }
}

/** `text` spoken by flite as a 48 kHz mono WAV at `file`: what Chromium plays as a fake microphone. */
export async function fliteMicrophoneWav(text: string, file: string, { voice = 'slt' }: { voice?: string } = {}): Promise<string> {
  const raw = `${file}.flite.wav`;
  await run('flite', ['-voice', voice, '-t', text, '-o', raw]);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', raw, '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', file]);
  await rm(raw, { force: true });
  return file;
}
