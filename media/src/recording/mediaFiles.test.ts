// The in-process final remux of a single recorded piece (in its worker pool), checked with ffprobe:
// a piece streamed as ffmpeg writes it while recording (WebM, fragmented MP4) becomes a seekable
// file starting at 0, cut where the stop was asked for, described exactly as ffprobe describes it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../ffmpeg.ts';
import { liveOutputArgs, probeMedia, resolveFfprobePath, runTool, type Container } from './mediaFiles.ts';
import { closeRemuxPool, remuxInWorker } from './remuxPool.ts';

const ffmpegPath = resolveFfmpegPath(null);
const ffprobePath = resolveFfprobePath(ffmpegPath);

describe('remuxing a single piece in process', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-remux-'));
  });
  afterAll(async () => {
    await closeRemuxPool();
    await rm(dir, { recursive: true, force: true });
  });

  /** Six seconds as the recorder writes them: ffmpeg's live output arguments, to a pipe. */
  async function streamedPiece(container: Container): Promise<string> {
    const video = container === 'webm' ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '300k'] : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
    const encoded = path.join(dir, `encoded.${container === 'webm' ? 'mkv' : 'mp4'}`);
    await runTool(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '6', ...video, '-c:a', 'libopus', encoded]);
    // The live arguments end with pipe:1: the bytes come as they would to the recorder.
    const live = liveOutputArgs(container);
    const piece = path.join(dir, `piece.${container}`);
    const out = await new Promise<Buffer>((resolve, reject) =>
      execFile(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-i', encoded, ...live], { encoding: 'buffer', maxBuffer: 64 << 20 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    await writeFile(piece, out);
    return piece;
  }

  for (const container of ['webm', 'mp4'] as const) {
    it(`makes a seekable ${container} from a streamed piece, cut at the stop`, async () => {
      const piece = await streamedPiece(container);
      const output = path.join(dir, `answer.${container}`);
      const info = await remuxInWorker({ piece: { file: piece, cutAfterMs: 4000 }, output, container });
      // Described as ffprobe sees the file.
      expect(info).toEqual({ ...(await probeMedia(ffprobePath, output)), bytes: (await readFile(output)).length });
      expect(info).toMatchObject({ audioCodec: 'opus', videoCodec: container === 'webm' ? 'vp8' : 'h264' });
      expect(info.durationMs).toBeGreaterThanOrEqual(3950);
      expect(info.durationMs).toBeLessThanOrEqual(4100);
      // Time starts at 0 on both streams.
      const starts = (await runTool(ffprobePath, ['-v', 'error', '-show_entries', 'stream=start_time', '-of', 'csv=p=0', output])).trim().split('\n').map(Number);
      for (const start of starts) expect(start).toBeLessThan(0.05);
      const bytes = await readFile(output);
      if (container === 'webm') {
        // Cues (0x1C53BB6B) before the first Cluster (0x1F43B675): a browser seeks without scanning.
        const cues = bytes.indexOf(Buffer.from('1C53BB6B', 'hex'));
        expect(cues).toBeGreaterThan(0);
        expect(cues).toBeLessThan(bytes.indexOf(Buffer.from('1F43B675', 'hex')));
      } else {
        // The index (moov) before the media (mdat).
        expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
      }
    });
  }

  it('refuses what it cannot read, for ffmpeg to try instead', async () => {
    const junk = path.join(dir, 'junk.webm');
    await writeFile(junk, Buffer.alloc(4096, 7));
    await expect(remuxInWorker({ piece: { file: junk, cutAfterMs: null }, output: path.join(dir, 'junk-out.webm'), container: 'webm' })).rejects.toThrow();
  });
});
