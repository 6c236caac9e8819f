// A stand-in for a browser: ffmpeg encodes lavfi test sources in real time and sends RTP into
// PlainTransport producers, so recording and the audio fork can be tested (and benchmarked) against
// a real mediasoup worker without Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import type { types } from 'mediasoup';
import { runFfmpeg } from '@rehearse/media';

export type SyntheticPattern =
  /** A moving test card and a 440 Hz tone. */
  | 'testsrc'
  /** Black video and silence, with a white flash and a 1 kHz beep together for 100 ms at every x.5 s: for measuring A/V sync. */
  | 'flash-beep';

export interface SyntheticSenderOptions {
  router: types.Router;
  ffmpegPath: string;
  /** The camera's codec, or null for audio only. Default 'vp8'. */
  video?: 'vp8' | 'h264' | null;
  /** Send Opus audio. Default true. */
  audio?: boolean;
  /** Default 'testsrc'. */
  pattern?: SyntheticPattern;
  /** Video bitrate in ffmpeg's notation. Default '300k'. */
  videoBitrate?: string;
  /** Picture size. Default '320x240'. */
  size?: string;
  /**
   * Replay this pre-encoded WebM (Opus + VP8, see encodeClip) in a loop instead of encoding live:
   * no encoding cost, so a benchmark can run many senders. Overrides pattern and bitrate.
   */
  replayFile?: string;
  /**
   * Stop sending after this many seconds. Sending RTP never notices that this process died, so
   * without a limit a crashed test would leave ffmpeg encoding forever. Default 120.
   */
  maxSeconds?: number;
}

export const AUDIO_SSRC = 11111111;
export const VIDEO_SSRC = 22222222;
export const AUDIO_PT = 100;
export const VIDEO_PT = 101;

export type PlainProducerKind = 'opus' | 'vp8' | 'h264';

/**
 * A producer fed over plain RTP (comedia: it learns the sender's address from the first packet),
 * as a sending ffmpeg or another synthetic sender expects: SSRC and payload type fixed above.
 */
export async function createPlainProducer(router: types.Router, kind: PlainProducerKind): Promise<{ transport: types.PlainTransport; producer: types.Producer; rtpPort: number; rtcpPort: number }> {
  // rtcpMux off: ffmpeg sends RTCP from a second socket, which a muxed comedia transport would
  // take for the remote address and then drop the RTP.
  const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, comedia: true, rtcpMux: false });
  try {
    const codec =
      kind === 'opus'
        ? { mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }
        : kind === 'vp8'
          ? { mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90000 }
          : { mimeType: 'video/H264', payloadType: VIDEO_PT, clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } };
    const producer = await transport.produce({ kind: kind === 'opus' ? 'audio' : 'video', rtpParameters: { codecs: [codec], encodings: [{ ssrc: kind === 'opus' ? AUDIO_SSRC : VIDEO_SSRC }] } });
    return { transport, producer, rtpPort: transport.tuple.localPort, rtcpPort: transport.rtcpTuple!.localPort };
  } catch (error) {
    transport.close();
    throw error;
  }
}

/** Until every producer has received media, or throws after `timeoutMs` or when `failed()` says so. */
export async function untilFlowing(producers: types.Producer[], { timeoutMs = 10_000, failed = () => null as string | null } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await Promise.all(producers.map((p) => p.getStats()));
    if (stats.every((s) => (s[0]?.byteCount ?? 0) > 0)) return;
    const reason = failed();
    if (reason !== null || Date.now() > deadline) throw new Error(`synthetic sender sent nothing: ${reason ?? 'no packets'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sources(pattern: SyntheticPattern, size: string): { video: string; audio: string } {
  if (!/^\d+x\d+$/.test(size)) throw new TypeError(`size must look like 640x480, got ${size}`);
  if (pattern === 'flash-beep') {
    return {
      video: `color=c=black:s=${size}:r=30,format=yuv420p,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='between(mod(t,1),0.5,0.599)'`,
      audio: "aevalsrc=exprs='if(between(mod(t,1),0.5,0.6),0.5*sin(2*PI*1000*t),0)':s=48000",
    };
  }
  return { video: `testsrc=size=${size}:rate=30`, audio: 'sine=frequency=440:sample_rate=48000' };
}

export class SyntheticSender {
  readonly #transports: types.PlainTransport[];
  readonly #producers: types.Producer[];
  readonly #ffmpeg: ChildProcess;
  #stderr = '';
  #closed = false;

  static async create({ router, ffmpegPath, video = 'vp8', audio = true, pattern = 'testsrc', videoBitrate = '300k', size = '320x240', replayFile, maxSeconds = 120 }: SyntheticSenderOptions): Promise<SyntheticSender> {
    if (replayFile && video === 'h264') throw new TypeError('replayFile holds VP8 video');
    if (!video && !audio) throw new TypeError('send audio, video or both');
    const transports: types.PlainTransport[] = [];
    const producers: types.Producer[] = [];
    const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];
    const outputs: string[] = [];
    const src = sources(pattern, size);
    try {
      const plain = async (kind: PlainProducerKind) => {
        const made = await createPlainProducer(router, kind);
        transports.push(made.transport);
        producers.push(made.producer);
        return `rtp://127.0.0.1:${made.rtpPort}?rtcpport=${made.rtcpPort}&pkt_size=1200`;
      };
      let input = 0;
      if (replayFile) args.push('-re', '-stream_loop', '-1', '-t', String(maxSeconds), '-i', replayFile);
      if (video) {
        if (!replayFile) args.push('-re', '-t', String(maxSeconds), '-f', 'lavfi', '-i', src.video);
        const url = await plain(video);
        const codec =
          video === 'vp8'
            ? // No look-ahead: the encoder must not delay video against audio, as a browser's does not.
              ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0']
            : ['-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'];
        outputs.push('-map', `${input}:v`, ...(replayFile ? ['-c:v', 'copy'] : [...codec, '-b:v', videoBitrate]), '-g', '30', '-ssrc', String(VIDEO_SSRC), '-payload_type', String(VIDEO_PT), '-f', 'rtp', url);
        if (!replayFile) input++;
      }
      if (audio) {
        if (!replayFile) args.push('-re', '-t', String(maxSeconds), '-f', 'lavfi', '-i', src.audio);
        const url = await plain('opus');
        outputs.push('-map', `${input}:a`, ...(replayFile ? ['-c:a', 'copy'] : ['-c:a', 'libopus', '-b:a', '48k']), '-ssrc', String(AUDIO_SSRC), '-payload_type', String(AUDIO_PT), '-f', 'rtp', url);
      }
    } catch (error) {
      for (const t of transports) t.close();
      throw error;
    }
    const ffmpeg = spawn(ffmpegPath, [...args, ...outputs], { stdio: ['ignore', 'ignore', 'pipe'] });
    const sender = new SyntheticSender(transports, producers, ffmpeg);
    // Ready once every producer has received media, so a test starts with packets flowing.
    try {
      await untilFlowing(producers, { failed: () => (ffmpeg.exitCode !== null ? sender.#stderr.trim() || 'ffmpeg exited' : null) });
    } catch (error) {
      sender.close();
      throw error;
    }
    return sender;
  }

  private constructor(transports: types.PlainTransport[], producers: types.Producer[], ffmpeg: ChildProcess) {
    this.#transports = transports;
    this.#producers = producers;
    this.#ffmpeg = ffmpeg;
    ffmpeg.stderr!.setEncoding('utf8');
    ffmpeg.stderr!.on('data', (t: string) => (this.#stderr = (this.#stderr + t).slice(-4000)));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The sending ffmpeg's process id (a benchmark leaves the simulated browsers out of its figures). */
  get pid(): number | undefined {
    return this.#ffmpeg.pid;
  }

  /** Audio first, like PlainRtpOutput orders them. */
  get producers(): types.Producer[] {
    return [...this.#producers].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'audio' ? -1 : 1));
  }

  get audioProducer(): types.Producer | undefined {
    return this.#producers.find((p) => p.kind === 'audio');
  }

  get videoProducer(): types.Producer | undefined {
    return this.#producers.find((p) => p.kind === 'video');
  }

  /** Stops sending, leaving the producers open (a peer whose media stalls). */
  stopSending(): void {
    if (this.#ffmpeg.exitCode === null) this.#ffmpeg.kill('SIGKILL');
  }

  /** Stops sending and closes the producers (a peer that left). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.stopSending();
    for (const t of this.#transports) t.close();
  }
}

/** Encodes a clip for `replayFile`: a pattern as VP8 (keyframe every second) and Opus. */
export async function encodeClip({ ffmpegPath, file, seconds = 10, size = '320x240', videoBitrate = '300k', pattern = 'testsrc' }: { ffmpegPath: string; file: string; seconds?: number; size?: string; videoBitrate?: string; pattern?: SyntheticPattern }): Promise<void> {
  const src = sources(pattern, size);
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', src.video, '-f', 'lavfi', '-i', src.audio, '-t', String(seconds)];
  args.push('-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-b:v', videoBitrate, '-g', '30', '-c:a', 'libopus', '-b:a', '48k', file);
  await runFfmpeg(ffmpegPath, args, 'ffmpeg could not encode the clip');
}
