// ffmpeg and ffprobe runs on recorded files: the live container settings, the final remux, probing.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { FfmpegError } from '../errors.ts';

/**
 * WebM for Opus + VP8; fragmented MP4 (then a plain MP4) where the browser sent H.264, because
 * Chromium does not play H.264 in WebM.
 */
export type Container = 'webm' | 'mp4';

export const contentTypes: Record<Container, string> = { webm: 'video/webm', mp4: 'video/mp4' };

export function containerFor(videoMimeType: string | undefined): Container {
  return videoMimeType?.toLowerCase() === 'video/h264' ? 'mp4' : 'webm';
}

/**
 * ffmpeg output arguments while recording: remux only, to stdout, flushed at once, in units
 * (a WebM cluster, an MP4 fragment) of 500 ms: what a killed ffmpeg had not written yet is lost.
 * The interleaving limit keeps a stalled stream (a paused camera) from holding back the other
 * one's packets for ffmpeg's default 10 s.
 */
export function liveOutputArgs(container: Container): string[] {
  const format =
    container === 'webm'
      ? ['-f', 'webm', '-cluster_time_limit', '500']
      : // empty_moov: a pipe cannot seek back to write the index; frag_duration: browsers send
        // keyframes only on request, so fragments cannot wait for one.
        ['-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '500000'];
  return ['-map', '0', '-c', 'copy', '-max_interleave_delta', '500000', ...format, '-flush_packets', '1', 'pipe:1'];
}

/** ffprobe beside the configured ffmpeg (a distribution's pair), else the one on PATH. */
export function resolveFfprobePath(ffmpegPath: string): string {
  if (ffmpegPath.includes('/')) {
    const sibling = path.join(path.dirname(ffmpegPath), 'ffprobe');
    if (existsSync(sibling)) return sibling;
  }
  return 'ffprobe';
}

export function runTool(file: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const e = error as NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals };
        reject(new FfmpegError(`${path.basename(file)} failed`, { exitCode: typeof e.code === 'number' ? e.code : null, signal: e.signal ?? null, stderr: stderr || e.message }));
      } else resolve(stdout);
    });
  });
}

/** A recorded piece, and where to cut it: media ffmpeg received after the stop was asked for. */
export interface PieceFile {
  file: string;
  /** Keep only this much from the piece's start, in ms. */
  cutAfterMs?: number | null;
}

/**
 * Joins the pieces into one file that seeks in Chromium: a WebM streamed from a pipe has neither
 * duration nor cues, a fragmented MP4 no sample index at the front. Remuxing (no transcode) into
 * a regular file writes them; the concat demuxer lays each piece after the previous one, so the
 * gap while ffmpeg restarted is not in the result.
 */
export async function remuxPieces({ ffmpegPath, ffprobePath, pieces, output, container }: { ffmpegPath: string; ffprobePath: string; pieces: PieceFile[]; output: string; container: Container }): Promise<void> {
  if (pieces.length === 0) throw new TypeError('no pieces to remux');
  const finish = container === 'webm' ? ['-cues_to_front', '1'] : ['-movflags', '+faststart'];
  const list = `${output}.pieces.txt`;
  const trimmed: string[] = [];
  try {
    // A piece streamed from a pipe, or cut short by a killed ffmpeg, carries no duration: each
    // piece's is measured rather than left to the concat demuxer's estimate.
    const entries = await Promise.all(
      pieces.map(async ({ file, cutAfterMs }, i) => {
        const span = await packetSpan(ffprobePath, file);
        const cut = cutAfterMs != null ? cutAfterMs / 1000 : Infinity;
        let source = file;
        if (cut < span) {
          // Cut each stream on its own: the concat demuxer's outpoint ends the whole piece at the
          // first packet past it, and a fragmented MP4 stores a fragment's audio before its video,
          // so the video up to the cut (up to a fragment, 500 ms) went with it.
          source = `${output}.piece-${i}.${container}`;
          trimmed.push(source);
          await runTool(ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', file, '-map', '0', '-c', 'copy', '-t', cut.toFixed(6), '-f', container, source]);
        }
        return `file '${path.resolve(source).replaceAll("'", "'\\''")}'\nduration ${Math.min(span, cut).toFixed(6)}\n`;
      }),
    );
    await writeFile(list, entries.join(''));
    await runTool(ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0', '-c', 'copy', ...finish, '-f', container, output]);
  } finally {
    await Promise.all([list, ...trimmed].map((file) => rm(file, { force: true })));
  }
}

/** Seconds from a file's first packet to the end of its last one. */
export async function packetSpan(ffprobePath: string, file: string): Promise<number> {
  const csv = await runTool(ffprobePath, ['-v', 'error', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file]);
  let first = Infinity;
  let end = -Infinity;
  for (const line of csv.split('\n')) {
    const [pts, duration] = line.split(',').map(Number);
    if (pts === undefined || !Number.isFinite(pts)) continue;
    first = Math.min(first, pts);
    end = Math.max(end, pts + (Number.isFinite(duration) ? duration! : 0));
  }
  return end > first ? end - first : 0;
}

export interface MediaInfo {
  durationMs: number;
  bytes: number;
  audioCodec: string | null;
  videoCodec: string | null;
}

export async function probeMedia(ffprobePath: string, file: string): Promise<MediaInfo> {
  const json = await runTool(ffprobePath, ['-v', 'error', '-show_entries', 'format=duration,size:stream=codec_type,codec_name', '-of', 'json', file], 30_000);
  const parsed = JSON.parse(json) as { format?: { duration?: string; size?: string }; streams?: { codec_type?: string; codec_name?: string }[] };
  const streams = parsed.streams ?? [];
  return {
    durationMs: Math.round(Number(parsed.format?.duration ?? 0) * 1000),
    bytes: Number(parsed.format?.size ?? 0),
    audioCodec: streams.find((s) => s.codec_type === 'audio')?.codec_name ?? null,
    videoCodec: streams.find((s) => s.codec_type === 'video')?.codec_name ?? null,
  };
}

/** mediabunny's codec names as ffprobe spells them (the names the answer rows have always had). */
const CODEC_NAMES: Record<string, string> = { avc: 'h264', hevc: 'hevc', vp8: 'vp8', vp9: 'vp9', av1: 'av1', opus: 'opus', aac: 'aac', vorbis: 'vorbis' };

/**
 * The seekable final file from a single piece, in this process (mediabunny: each track's packets
 * copied as they are, no transcoding) rather than three ffmpeg/ffprobe runs: a WebM with duration
 * and cues at the front, an MP4 with its index at the front; the piece's first packet becomes
 * time 0 and packets after the cut are left out. About 10 ms of CPU for 15 s of answer, where the
 * runs took a few hundred — what a hundred answers stopping at once queued behind. Describes the
 * result as probeMedia would. Throws on anything it cannot copy (the caller then uses ffmpeg).
 */
export async function remuxSinglePiece({ piece, output, container }: { piece: PieceFile; output: string; container: Container }): Promise<MediaInfo> {
  const { ALL_FORMATS, BufferSource, BufferTarget, EncodedAudioPacketSource, EncodedPacketSink, EncodedVideoPacketSource, FilePathSource, Input, Mp4OutputFormat, Output, WebMOutputFormat } = await import('mediabunny');
  const input = new Input({ source: new FilePathSource(piece.file), formats: ALL_FORMATS });
  try {
    const [video, audio] = await Promise.all([input.getPrimaryVideoTrack(), input.getPrimaryAudioTrack()]);
    if (!video && !audio) throw new Error('the piece has no audio or video track');
    const first = await input.getFirstTimestamp();
    const end = piece.cutAfterMs != null ? piece.cutAfterMs / 1000 : Infinity;
    const target = new BufferTarget();
    const out = new Output({ format: container === 'webm' ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
    const copies: (() => Promise<void>)[] = [];
    for (const track of [video, audio]) {
      if (!track) continue;
      if (!track.codec) throw new Error(`the piece's ${track.type} codec is not one the muxer knows`);
      const source = track.isVideoTrack() ? new EncodedVideoPacketSource(track.codec) : new EncodedAudioPacketSource(track.codec as never);
      if (track.isVideoTrack()) out.addVideoTrack(source as InstanceType<typeof EncodedVideoPacketSource>);
      else out.addAudioTrack(source as InstanceType<typeof EncodedAudioPacketSource>);
      copies.push(async () => {
        const decoderConfig = await track.getDecoderConfig();
        let meta: object | undefined = { decoderConfig };
        for await (const packet of new EncodedPacketSink(track).packets()) {
          const timestamp = packet.timestamp - first;
          if (timestamp >= end) break;
          await (source as InstanceType<typeof EncodedVideoPacketSource>).add(packet.clone({ timestamp }), meta as never);
          meta = undefined;
        }
        source.close();
      });
    }
    await out.start();
    await Promise.all(copies.map((copy) => copy()));
    await out.finalize();
    const bytes = Buffer.from(target.buffer!);
    await writeFile(output, bytes);
    // Described from the result, as ffprobe reads it: the container's own duration.
    const result = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
    try {
      const [resultVideo, resultAudio, header] = await Promise.all([result.getPrimaryVideoTrack(), result.getPrimaryAudioTrack(), result.getDurationFromMetadata()]);
      const duration = header ?? (await result.computeDuration());
      const name = (codec: string | null | undefined) => (codec ? (CODEC_NAMES[codec] ?? codec) : null);
      return { durationMs: Math.round(duration * 1000), bytes: bytes.length, videoCodec: name(resultVideo?.codec), audioCodec: name(resultAudio?.codec) };
    } finally {
      result.dispose();
    }
  } finally {
    input.dispose();
  }
}
