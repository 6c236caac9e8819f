import { execFile } from 'node:child_process';

export { resolveFfmpegPath } from '@rehearse/core/ffmpeg';

/** `ffmpeg -version`'s first line, or an error naming the binary that failed. */
export function ffmpegVersion(ffmpegPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, ['-hide_banner', '-version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) reject(new Error(`ffmpeg (${ffmpegPath}) does not run: ${error.message}`));
      else resolve(stdout.split('\n')[0]!.trim());
    });
  });
}

/** Runs ffmpeg to completion; rejects with `failure` and ffmpeg's own words when it does not exit 0. */
export function runFfmpeg(ffmpegPath: string, args: string[], failure: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, args, { maxBuffer: 1 << 20 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${failure}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}
