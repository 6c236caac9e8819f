// What the answer benchmarks (recording.ts, webrtc.ts, nodes.ts) share: starting a simulated
// browser's answer (RTP replay → recorder + audio fork), stopping every answer's recorder at once,
// and inspecting every recording as a viewer would get it, from S3.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { AudioFork, mediaCodecs, Recorder, type RecordingResult, type WorkerPool } from '@rehearse/media';
import type { TestS3 } from '@rehearse/testkit/s3';
import type { RtpReplay } from './rtpReplay.ts';

const run = promisify(execFile);
const ffprobePath = 'ffprobe';

/** Largest hole between consecutive packets of each stream, in ms. */
export async function largestGaps(file: string): Promise<{ audio: number; video: number }> {
  const { stdout } = await run(ffprobePath, ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time', '-of', 'csv=p=0', file], { maxBuffer: 64 * 1024 * 1024 });
  const last = new Map<number, number>();
  const gaps = new Map<number, number>();
  for (const line of stdout.trim().split('\n')) {
    const [index, pts] = line.split(',').map(Number) as [number, number];
    if (!Number.isFinite(pts)) continue;
    const previous = last.get(index);
    if (previous !== undefined) gaps.set(index, Math.max(gaps.get(index) ?? 0, (pts - previous) * 1000));
    last.set(index, pts);
  }
  const { stdout: kinds } = await run(ffprobePath, ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file]);
  const types = kinds.trim().split('\n');
  return { audio: gaps.get(types.indexOf('audio')) ?? Infinity, video: gaps.get(types.indexOf('video')) ?? Infinity };
}

/** One recorded answer: its simulated browser, the Recorder and the AudioFork (PCM frames counted). */
export interface ReplayedAnswer {
  sender: Awaited<ReturnType<RtpReplay['add']>>;
  recorder: Recorder;
  fork: AudioFork;
  frames: number;
}

/**
 * Starts one answer as the product's media server runs it: a router on the least-loaded worker, a
 * simulated browser replaying into its producers, the Recorder (spool + S3) and the AudioFork (its
 * frames consumed). On failure the router is closed and the error thrown.
 */
export async function startAnswer({ pool, replay, s3, bucket, keyPrefix, spoolDir, ffmpegPath }: { pool: WorkerPool; replay: RtpReplay; s3: S3Client; bucket: string; keyPrefix: string; spoolDir: string; ffmpegPath: string }): Promise<ReplayedAnswer> {
  const router = await pool.leastLoaded().createRouter({ mediaCodecs });
  try {
    const sender = await replay.add(router);
    const recorder = await Recorder.create({ router, producers: sender.producers, s3, bucket, keyPrefix, spoolDir, ffmpegPath });
    const fork = await AudioFork.create({ router, producer: sender.audioProducer!, answerStartedAt: Date.now() });
    const answer: ReplayedAnswer = { sender, recorder, fork, frames: 0 };
    void (async () => {
      for await (const _frame of fork) answer.frames++;
    })().catch(() => {
      // A fork that gives up shows as fewer PCM seconds.
    });
    return answer;
  } catch (error) {
    router.close();
    throw error;
  }
}

/**
 * Stops every answer's recorder at once (each: stop → in S3), then `after(answer)` for each as its
 * recording is in; the recorders are closed once all are.
 */
export async function stopRecorders<A extends { recorder: Recorder }>(answers: A[], after: (answer: A) => void | Promise<void>): Promise<{ results: RecordingResult[]; stopTimes: number[] }> {
  const stopTimes: number[] = [];
  const results = await Promise.all(
    answers.map(async (a) => {
      const started = performance.now();
      const result = await a.recorder.stop();
      stopTimes.push(performance.now() - started);
      await after(a);
      return result;
    }),
  );
  for (const a of answers) a.recorder.close();
  return { results, stopTimes };
}

/**
 * Downloads each recording from S3 (through `file`) and counts those with a hole: Opus frames are
 * 20 ms and the clip is 30 fps, so anything beyond a few frames is one; so is a recording shorter
 * than the answer (`seconds`, less 2 s of slack).
 */
export async function checkRecordings(results: RecordingResult[], { store, file, seconds }: { store: TestS3; file: string; seconds: number }): Promise<{ withGaps: number; worstAudio: number; worstVideo: number }> {
  let withGaps = 0;
  let worstAudio = 0;
  let worstVideo = 0;
  for (const result of results) {
    const object = await store.s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: result.key }));
    await writeFile(file, await object.Body!.transformToByteArray());
    const gaps = await largestGaps(file);
    worstAudio = Math.max(worstAudio, gaps.audio);
    worstVideo = Math.max(worstVideo, gaps.video);
    if (gaps.audio > 100 || gaps.video > 200 || result.durationMs < (seconds - 2) * 1000) withGaps++;
  }
  return { withGaps, worstAudio, worstVideo };
}

/**
 * Runs the load levels in order, printing each as it finishes (a long run stopped early still
 * leaves its figures), and stops after the first level with gaps.
 */
export async function runLevels<R extends { withGaps: number }>(levels: number[], run: (n: number) => Promise<R>, describe: (row: R) => string): Promise<{ rows: R[]; largestClean: number }> {
  const rows: R[] = [];
  let largestClean = 0;
  for (const n of levels) {
    const row = await run(n);
    rows.push(row);
    if (row.withGaps === 0) largestClean = n;
    process.stdout.write(`level ${n}: ${describe(row)}\n`);
    if (row.withGaps > 0) break;
  }
  return { rows, largestClean };
}
