// Measurements on recorded files, with ffprobe's lavfi filters, for tests that must be able to fail.
import { execFile } from 'node:child_process';
import { runTool } from '@rehearse/media';

function lavfiPath(file: string): string {
  // The path goes inside a filtergraph; keep to characters that need no escaping there.
  if (!/^[\w/.-]+$/.test(file)) throw new TypeError(`path not usable in a filtergraph: ${file}`);
  return file;
}

function rows(csv: string): [number, number][] {
  return csv
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number) as [number, number])
    .filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
}

/** Times (s) of the video frames where the picture turns bright (mean luma crosses 128). */
export async function flashOnsets(ffprobePath: string, file: string): Promise<number[]> {
  const csv = await runTool(ffprobePath, ['-v', 'error', '-f', 'lavfi', '-i', `movie=${lavfiPath(file)},signalstats`, '-show_entries', 'frame=pts_time:frame_tags=lavfi.signalstats.YAVG', '-of', 'csv=p=0']);
  const onsets: number[] = [];
  let bright = true; // a flash already on when the recording starts has no measurable onset
  for (const [t, luma] of rows(csv)) {
    if (luma > 128 && !bright) onsets.push(t);
    bright = luma > 128;
  }
  return onsets;
}

/** Times (s), at 10 ms resolution, where the audio turns loud (RMS crosses -30 dBFS). */
export async function beepOnsets(ffprobePath: string, file: string): Promise<number[]> {
  const csv = await runTool(ffprobePath, [
    '-v', 'error', '-f', 'lavfi', '-i', `amovie=${lavfiPath(file)},asetnsamples=n=480,astats=metadata=1:reset=1`,
    '-show_entries', 'frame=pts_time:frame_tags=lavfi.astats.Overall.RMS_level', '-of', 'csv=p=0',
  ]);
  const onsets: number[] = [];
  let loud = true;
  for (const [t, rms] of rows(csv)) {
    if (rms > -30 && !loud) onsets.push(t);
    loud = rms > -30;
  }
  return onsets;
}

function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`${file} failed: ${stderr || error.message}`)) : resolve({ stdout, stderr })));
  });
}

/** The loudest sample, in dBFS (-91 for digital silence). */
export async function maxVolumeDb(ffmpegPath: string, file: string): Promise<number> {
  const { stderr } = await run(ffmpegPath, ['-hide_banner', '-nostats', '-i', file, '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-']);
  const match = /max_volume: (-?[\d.]+) dB/.exec(stderr);
  if (!match) throw new Error(`no volume measured in ${file}`);
  return Number(match[1]);
}

/** Decodes every frame: the decoded frame counts, and what the decoders complained about. */
export async function decodeAll(ffprobePath: string, file: string): Promise<{ video: number; audio: number; errors: string }> {
  const { stdout, stderr } = await run(ffprobePath, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames', '-of', 'json', file]);
  const streams = (JSON.parse(stdout) as { streams: { codec_type: string; nb_read_frames?: string }[] }).streams;
  const count = (type: string) => Number(streams.find((s) => s.codec_type === type)?.nb_read_frames ?? 0);
  return { video: count('video'), audio: count('audio'), errors: stderr.trim() };
}
