// Benchmark: coached answers as browsers make them. How many can this machine take at once?
// Each answer: a simulated browser (WebRtcSenders: a libdatachannel PeerConnection per answer,
// replaying a pre-encoded clip's Opus + VP8 in real time, all in one child process) connected over
// ICE, DTLS and SRTP to a Peer's WebRtcTransport and producers, as a page's send transport is; the
// Recorder (ffmpeg remux → spool + S3 multipart); and the live pipeline the product runs on the
// AudioFork: LiveAnswer with a DeepgramProvider whose WebSocket stays open for the whole answer, to
// a local server speaking Deepgram's protocol. recording.ts measures the same without WebRTC and
// speech-to-text. The load rises level by level against the one-answer baseline of the same run.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeepgramProvider, LiveAnswer, STT_SAMPLE_RATE } from '@rehearse/analysis';
import { AudioFork, mediaCodecs, Recorder, resolveFfmpegPath, WorkerPool } from '@rehearse/media';
import { startTestS3, type TestS3 } from '@rehearse/testkit/s3';
import { encodeClip } from '@rehearse/testkit/syntheticSender';
import { checkRecordings, runLevels, stopRecorders } from './answers.ts';
import { cpuSampler, percentile, processCpuSampler, processTreePssBytes, table } from './measure.ts';
import { WebRtcSenders, type WebRtcSender } from './webrtcSenders.ts';

const ffmpegPath = resolveFfmpegPath(null);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,25,50,100,150').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const API_KEY = 'bench';

interface Answer {
  sender: WebRtcSender;
  recorder: Recorder;
  fork: AudioFork;
  live: LiveAnswer;
  words: number;
}

/** The Deepgram stand-in (sttChild.ts) in its own process: its URL and the samples it heard. */
async function startSttProcess(apiKey: string): Promise<{ url: string; pid: number; heard(reset?: boolean): Promise<number>; close(): Promise<void> }> {
  const child = fork(new URL('./sttChild.ts', import.meta.url), [apiKey], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ url: string }];
  return {
    url: ready.url,
    pid: child.pid!,
    async heard(reset = false) {
      const reply = once(child, 'message') as Promise<[{ samples: number }]>;
      child.send({ type: reset ? 'reset' : 'heard' });
      return (await reply)[0].samples;
    },
    async close() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

async function level(n: number, { pool, senders, store, stt, spoolRoot }: { pool: WorkerPool; senders: WebRtcSenders; store: TestS3; stt: Awaited<ReturnType<typeof startSttProcess>>; spoolRoot: string }) {
  const answers: Answer[] = [];
  const idle = await processTreePssBytes();
  const connectTimes: number[] = [];
  let failedToStart = 0;
  for (let i = 0; i < n; i++) {
    const router = await pool.leastLoaded().createRouter({ mediaCodecs });
    try {
      const connecting = performance.now();
      // Offer → answer → ICE → DTLS → SRTP media at both producers.
      const sender = await senders.add(router);
      connectTimes.push(performance.now() - connecting);
      const recorder = await Recorder.create({ router, producers: sender.producers, s3: store.s3, bucket: store.bucket, keyPrefix: `bench-webrtc/${n}/${i}`, spoolDir: path.join(spoolRoot, `${n}-${i}`), ffmpegPath });
      const fork = await AudioFork.create({ router, producer: sender.audioProducer, answerStartedAt: Date.now() });
      // As AnswerSession#startFork does: the fork's PCM into the live analysis, Deepgram first.
      const live = new LiveAnswer({ providers: [new DeepgramProvider({ apiKey: API_KEY, url: stt.url })] });
      live.feed(fork);
      answers.push({ sender, recorder, fork, live, words: 0 });
    } catch (error) {
      // An answer that cannot even start at this load is this level's verdict, not a crash.
      failedToStart++;
      process.stdout.write(`level ${n}: answer ${i + 1} could not start: ${(error as Error).message.split('\n')[0]}\n`);
      router.close();
      if (failedToStart >= 3) break;
    }
  }
  // Steady state: all answers recording and transcribing.
  await stt.heard(true);
  const cpu = cpuSampler();
  const senderCpu = processCpuSampler(senders.pid!);
  const measuring = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const busyCores = cpu.busyCores();
  const senderCores = senderCpu.busyCores();
  const sttSeconds = (await stt.heard()) / STT_SAMPLE_RATE / ((performance.now() - measuring) / 1000);
  // The senders stand in for browsers: their memory is not the server's.
  const memory = (await processTreePssBytes({ exclude: new Set([senders.pid!]) })) - idle;
  const running = Math.max(1, answers.length);

  const { results, stopTimes } = await stopRecorders(answers, async (a) => {
    // As the product stops an answer: the fork first, then the engine's last finals and the report.
    a.fork.close();
    const report = await a.live.finish(SECONDS);
    a.words = report.words.length;
    a.sender.close();
  });

  // Inspect every recording as a viewer would get it: from S3.
  const { withGaps: recordedWithGaps, worstAudio, worstVideo } = await checkRecordings(results, { store, file: path.join(spoolRoot, `check-${n}.webm`), seconds: SECONDS });
  const withGaps = recordedWithGaps + failedToStart;
  const words = answers.map((a) => a.words);
  return {
    n,
    failedToStart,
    busyCores,
    senderCores,
    memoryPerAnswer: memory / running,
    connectP50: percentile(connectTimes, 50),
    connectP95: percentile(connectTimes, 95),
    stopP50: percentile(stopTimes, 50),
    withGaps,
    worstAudio,
    worstVideo,
    wordsPerAnswer: words.reduce((s, w) => s + w, 0) / running,
    fewestWords: words.length > 0 ? Math.min(...words) : 0,
    sttRealTimePerAnswer: sttSeconds / running,
  };
}

const workDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-webrtc-'));
const clip = path.join(workDir, 'clip.webm');
await encodeClip({ ffmpegPath, file: clip, seconds: 10 });
const store = await startTestS3('rehearse-bench', { ownProcess: true });
const stt = await startSttProcess(API_KEY);
const senders = await WebRtcSenders.start({ ffmpegPath, clip });
const pool = await WorkerPool.create({ workerBin: process.env.MEDIASOUP_WORKER_BIN, numWorkers: os.availableParallelism() });
const cores = os.availableParallelism();
const HEADER = [
  'answers',
  'with gaps or not started',
  'CPU cores busy (senders)',
  'server CPU per answer vs 1',
  'memory (PSS) per answer',
  'offer→media p50/p95',
  'stop→in S3 p50',
  'worst gap a/v',
  'words per answer (fewest)',
  'audio to STT per answer',
];
type Row = Awaited<ReturnType<typeof level>>;
// The server's share: the whole machine less the simulated browsers.
const serverPerAnswer = (r: Row) => (r.busyCores - r.senderCores) / r.n;
const cells = (r: Row) => [
  String(r.n),
  String(r.withGaps),
  `${r.busyCores.toFixed(2)} of ${cores} (${r.senderCores.toFixed(2)})`,
  `${(serverPerAnswer(r) / serverPerAnswer(baseline!)).toFixed(2)}× (${(serverPerAnswer(r) * 100).toFixed(1)}% core)`,
  `${(r.memoryPerAnswer / 1024 / 1024).toFixed(1)} MiB`,
  `${r.connectP50.toFixed(0)}/${r.connectP95.toFixed(0)} ms`,
  `${r.stopP50.toFixed(0)} ms`,
  `${r.worstAudio.toFixed(0)}/${r.worstVideo.toFixed(0)} ms`,
  `${r.wordsPerAnswer.toFixed(1)} (${r.fewestWords})`,
  `${r.sttRealTimePerAnswer.toFixed(2)}× real time`,
];
let rows: Row[] = [];
let baseline: Row | undefined;
let largestClean = 0;
try {
  ({ rows, largestClean } = await runLevels(
    LEVELS,
    async (n) => {
      const row = await level(n, { pool, senders, store, stt, spoolRoot: workDir });
      baseline ??= row;
      return row;
    },
    (row) => HEADER.map((h, i) => `${h} ${cells(row)[i]}`).join('; '),
  ));
} finally {
  pool.close();
  senders.close();
  await stt.close();
  await store.stop();
  await rm(workDir, { recursive: true, force: true });
}

process.stdout.write(`\nConcurrent coached answers over WebRTC (${SECONDS} s each, Opus + VP8 320x240 ~300 kbit/s over ICE/DTLS/SRTP, recorder + audio fork + live analysis with an open Deepgram socket), ${cores} cores\n`);
process.stdout.write(
  'CPU is the whole machine, s3rver, the local Deepgram stand-in and the sending process (the simulated browsers, its share in brackets) included; CPU per answer and memory leave the senders out.\n',
);
process.stdout.write(table(HEADER, rows.map(cells)));
process.stdout.write(`\nLargest number of simultaneous coached answers with zero gaps in every recording: ${largestClean}\n`);
