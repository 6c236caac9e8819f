// Benchmark: how many answers can this machine record at once?
// Each answer: a simulated browser (RtpReplay: a pre-encoded clip's Opus + VP8 RTP, replayed in
// real time by one shared process) sending into PlainTransport producers, the Recorder (ffmpeg
// remux → spool + S3 multipart) and the AudioFork (in-process Opus decode → 16 kHz PCM, frames
// consumed). The load rises level by level; every level is compared with the one-answer baseline
// measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveFfmpegPath, WorkerPool } from '@rehearse/media';
import { encodeClip } from '@rehearse/testkit/syntheticSender';
import { startTestS3 } from '@rehearse/testkit/s3';
import { checkRecordings, runLevels, startAnswer, stopRecorders, type ReplayedAnswer } from './answers.ts';
import { cpuSampler, percentile, processCpuSampler, processTreePssBytes, table } from './measure.ts';
import { RtpReplay } from './rtpReplay.ts';

const ffmpegPath = resolveFfmpegPath(null);

const LEVELS = (process.env.BENCH_LEVELS ?? '1,10,25,50,75,100,125').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

async function level(n: number, pool: WorkerPool, replay: RtpReplay, store: Awaited<ReturnType<typeof startTestS3>>, spoolRoot: string) {
  const answers: ReplayedAnswer[] = [];
  const idle = await processTreePssBytes();
  let failedToStart = 0;
  for (let i = 0; i < n; i++) {
    try {
      answers.push(await startAnswer({ pool, replay, s3: store.s3, bucket: store.bucket, keyPrefix: `bench/${n}/${i}`, spoolDir: path.join(spoolRoot, `${n}-${i}`), ffmpegPath }));
    } catch (error) {
      // An answer that cannot even start at this load is this level's verdict, not a crash.
      failedToStart++;
      process.stdout.write(`level ${n}: answer ${i + 1} could not start: ${(error as Error).message.split('\n')[0]}\n`);
      if (failedToStart >= 3) break;
    }
  }
  // Steady state: all answers recording.
  const cpu = cpuSampler();
  const senderCpu = processCpuSampler(replay.pid!);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const busyCores = cpu.busyCores();
  const senderCores = senderCpu.busyCores();
  // The senders stand in for browsers: their memory is not the server's.
  const memory = (await processTreePssBytes({ exclude: new Set([replay.pid!]) })) - idle;
  const running = Math.max(1, answers.length);

  const { results, stopTimes } = await stopRecorders(answers, (a) => {
    a.fork.close();
    a.sender.close();
  });

  // Inspect every recording as a viewer would get it: from S3.
  const { withGaps: recordedWithGaps, worstAudio, worstVideo } = await checkRecordings(results, { store, file: path.join(spoolRoot, `check-${n}.webm`), seconds: SECONDS });
  const withGaps = recordedWithGaps + failedToStart;
  const forkSecondsPerAnswer = answers.reduce((s, a) => s + a.frames, 0) / 50 / Math.max(1, answers.length);
  return { n, failedToStart, busyCores, senderCores, memoryPerAnswer: memory / running, stopP50: percentile(stopTimes, 50), stopP95: percentile(stopTimes, 95), withGaps, worstAudio, worstVideo, forkSecondsPerAnswer };
}

const workDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-'));
const clip = path.join(workDir, 'clip.webm');
await encodeClip({ ffmpegPath, file: clip, seconds: 10 });
const store = await startTestS3('rehearse-bench', { ownProcess: true });
const replay = await RtpReplay.start({ ffmpegPath, clip });
const pool = await WorkerPool.create({ workerBin: process.env.MEDIASOUP_WORKER_BIN, numWorkers: os.availableParallelism() });
const cores = os.availableParallelism();
const HEADER = ['answers', 'with gaps or not started', 'CPU cores busy', 'CPU per answer vs 1', 'memory (PSS) per answer', 'stop→in S3 p50', 'stop→in S3 p95', 'worst gap a/v', 'PCM forked per answer'];
const cells = (r: Awaited<ReturnType<typeof level>>) => [
  String(r.n),
  String(r.withGaps),
  `${r.busyCores.toFixed(2)} of ${cores} (${r.senderCores.toFixed(2)})`,
  `${(r.busyCores / r.n / (baseline!.busyCores / baseline!.n)).toFixed(2)}×`,
  `${(r.memoryPerAnswer / 1024 / 1024).toFixed(1)} MiB`,
  `${r.stopP50.toFixed(0)} ms`,
  `${r.stopP95.toFixed(0)} ms`,
  `${r.worstAudio.toFixed(0)}/${r.worstVideo.toFixed(0)} ms`,
  `${r.forkSecondsPerAnswer.toFixed(1)} s`,
];
let rows: Awaited<ReturnType<typeof level>>[] = [];
let baseline: Awaited<ReturnType<typeof level>> | undefined;
let largestClean = 0;
try {
  ({ rows, largestClean } = await runLevels(
    LEVELS,
    async (n) => {
      const row = await level(n, pool, replay, store, workDir);
      baseline ??= row;
      return row;
    },
    (row) => HEADER.map((h, i) => `${h} ${cells(row)[i]}`).join('; '),
  ));
} finally {
  pool.close();
  replay.close();
  await store.stop();
  await rm(workDir, { recursive: true, force: true });
}

process.stdout.write(`\nConcurrent recorded answers (${SECONDS} s each, Opus + VP8 320x240 ~300 kbit/s, recorder + audio fork), ${cores} cores\n`);
process.stdout.write('CPU is the whole machine, s3rver and the replaying process (the simulated browsers, its share in brackets) included; memory leaves the senders out.\n');
process.stdout.write(
  table(
    HEADER,
    rows.map(cells),
  ),
);
process.stdout.write(`\nLargest number of simultaneous answers with zero gaps in every recording: ${largestClean}\n`);
