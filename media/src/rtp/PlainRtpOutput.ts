import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { types } from 'mediasoup';
import type { MediaLogger as Logger } from '../log.ts';
import { FfmpegError, InvalidStateError } from '../errors.ts';
import { TypedEmitter } from '../TypedEmitter.ts';
import { RtpRelay } from './RtpRelay.ts';
import { reserveUdpPortPairs, waitForUdpListeners } from './udpPorts.ts';

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stop() or close() asked for it; false when ffmpeg died on its own or was killed from outside. */
  expected: boolean;
  /** ffmpeg's last output lines (warnings and errors). */
  stderr: string;
}

export type PlainRtpOutputEvents = {
  /** ffmpeg exited and its stdout is fully read. */
  exit: [FfmpegExit];
  /** A producer being sent to ffmpeg closed; its consumer is gone. */
  producerclose: [producerId: string];
  close: [];
};

export interface PlainRtpOutputOptions {
  router: types.Router;
  /** What ffmpeg receives; one m= line each, audio first, so every run of the same kinds maps streams identically. */
  producers: types.Producer[];
  ffmpegPath: string;
  /** ffmpeg arguments after the SDP input: maps, codecs, filters, format and output (usually pipe:1). */
  outputArgs: string[];
  /** Line the streams up on one clock from their first packets (see RtpRelay). Default: several producers. */
  syncStart?: boolean;
  /** How long ffmpeg may take to open its sockets. Default 5000 ms. */
  startTimeoutMs?: number;
  logger?: Logger;
}

type Ffmpeg = ChildProcessByStdio<null, Readable, Readable>;

/** mediasoup, the relay and ffmpeg talk over loopback: the relay is local to the media process. */
const HOST = '127.0.0.1';

/** No packet for this long: ffmpeg is blocked reading and needs a second signal to stop. */
const IDLE_BEFORE_SECOND_SIGNAL_MS = 250;

/** Keep this much of ffmpeg's stderr: enough for the lines that name a failure. */
const STDERR_TAIL = 8192;

function codecName(mimeType: string): string {
  return mimeType.split('/')[1]!;
}

function sdpFor(consumers: types.Consumer[], ports: number[], host: string): string {
  const lines = ['v=0', `o=- 0 0 IN IP4 ${host}`, 's=rehearse', `c=IN IP4 ${host}`, 't=0 0'];
  consumers.forEach((consumer, i) => {
    const codec = consumer.rtpParameters.codecs[0]!;
    const pt = codec.payloadType;
    lines.push(`m=${consumer.kind} ${ports[i]} RTP/AVP ${pt}`);
    lines.push(`a=rtpmap:${pt} ${codecName(codec.mimeType)}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ''}`);
    const fmtp = Object.entries(codec.parameters ?? {}).map(([k, v]) => `${k}=${v}`);
    if (fmtp.length > 0) lines.push(`a=fmtp:${pt} ${fmtp.join(';')}`);
  });
  return lines.join('\r\n') + '\r\n';
}

/**
 * mediasoup producers → PlainTransport consumers → (RtpRelay) → one ffmpeg reading an SDP.
 * The Recorder's path (ffmpeg muxes a container); kept apart from it so the RTP plumbing is in one place.
 *
 * Start-up order matters: ffmpeg is started first and its sockets must be bound before media is
 * forwarded, then the consumers resume and a keyframe is requested, so the recording starts with a
 * decodable frame instead of waiting for the sender's next one.
 */
export class PlainRtpOutput extends TypedEmitter<PlainRtpOutputEvents> {
  readonly #transports: types.PlainTransport[];
  readonly #consumers: types.Consumer[];
  readonly #relay: RtpRelay;
  readonly #ffmpeg: Ffmpeg;
  readonly #exited: Promise<FfmpegExit>;
  readonly #logger: Logger | undefined;
  #stderr = '';
  #running = true;
  #expectedExit = false;
  #closed = false;

  static async create({ router, producers, ffmpegPath, outputArgs, syncStart = producers.length > 1, startTimeoutMs = 5000, logger }: PlainRtpOutputOptions): Promise<PlainRtpOutput> {
    if (!router || router.closed) throw new TypeError('router must be an open mediasoup Router');
    if (!Array.isArray(producers) || producers.length === 0) throw new TypeError('producers must be a non-empty array');
    if (producers.some((p) => p.closed)) throw new TypeError('producers must be open');
    if (typeof ffmpegPath !== 'string' || !ffmpegPath) throw new TypeError('ffmpegPath must be a path');
    const ordered = [...producers].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'audio' ? -1 : 1));

    const transports: types.PlainTransport[] = [];
    const consumers: types.Consumer[] = [];
    let relay: RtpRelay | null = null;
    let output: PlainRtpOutput | null = null;
    let release = () => {};
    try {
      // ffmpeg has no use for retransmissions; without RTX in the capabilities none are announced.
      const rtpCapabilities = { ...router.rtpCapabilities, codecs: router.rtpCapabilities.codecs?.filter((c) => !/\/rtx$/i.test(c.mimeType)) };
      for (const producer of ordered) {
        // One transport per stream: a PlainTransport sends to one address, and ffmpeg wants one port per m= line.
        const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: HOST }, rtcpMux: false, comedia: false });
        transports.push(transport);
        consumers.push(await transport.consume({ producerId: producer.id, rtpCapabilities, paused: true }));
      }
      // The relay needs each consumer's payload type and clock rate; mediasoup sends to it once connected.
      relay = await RtpRelay.create({
        streams: consumers.map((c) => ({ payloadType: c.rtpParameters.codecs[0]!.payloadType, clockRate: c.rtpParameters.codecs[0]!.clockRate })),
        host: HOST,
        align: syncStart,
        logger,
      });
      for (const [i, transport] of transports.entries()) {
        const target = relay.listenPorts[i]!;
        await transport.connect({ ip: HOST, port: target.rtpPort, rtcpPort: target.rtcpPort });
      }

      const reservation = await reserveUdpPortPairs(consumers.length, HOST);
      release = reservation.release;
      const sdp = sdpFor(consumers, reservation.ports, HOST);
      const ffmpeg: Ffmpeg = spawn(
        ffmpegPath,
        [
          '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
          '-protocol_whitelist', 'data,udp,rtp',
          // Room for a keyframe burst and the relay's backlog while ffmpeg is still probing.
          '-buffer_size', String(4 << 20),
          '-f', 'sdp', '-i', `data:application/sdp;base64,${Buffer.from(sdp).toString('base64')}`,
          ...outputArgs,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const started = new PlainRtpOutput(transports, consumers, relay, ffmpeg, logger);
      output = started;
      try {
        await waitForUdpListeners(reservation.ports.flatMap((p) => [p, p + 1]), { timeoutMs: startTimeoutMs, abort: () => !started.#running });
      } catch (error) {
        const exit = started.#running ? null : await started.#exited;
        throw new FfmpegError(`ffmpeg did not start receiving RTP (${(error as Error).message})`, { exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stderr: started.#stderr });
      } finally {
        release();
      }
      relay.start(reservation.ports.map((p) => ({ rtpPort: p, rtcpPort: p + 1 })));
      await Promise.all(consumers.map((c) => c.resume()));
      await started.requestKeyFrame();
      return started;
    } catch (error) {
      release();
      if (output) {
        output.#expectedExit = true;
        if (output.#running) output.#ffmpeg.kill('SIGKILL');
      }
      relay?.close();
      for (const t of transports) t.close();
      throw error;
    }
  }

  private constructor(transports: types.PlainTransport[], consumers: types.Consumer[], relay: RtpRelay, ffmpeg: Ffmpeg, logger: Logger | undefined) {
    super();
    this.#transports = transports;
    this.#consumers = consumers;
    this.#relay = relay;
    this.#ffmpeg = ffmpeg;
    this.#logger = logger;
    ffmpeg.stderr.setEncoding('utf8');
    ffmpeg.stderr.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_TAIL);
    });
    this.#exited = new Promise((resolve) => {
      let spawnError: Error | null = null;
      ffmpeg.once('error', (error) => {
        spawnError = error;
        this.#stderr += `\n${error.message}`;
      });
      // 'close', not 'exit': stdout has been read to its end by then.
      ffmpeg.once('close', (code, signal) => {
        this.#running = false;
        const exit: FfmpegExit = { code: spawnError ? null : code, signal, expected: this.#expectedExit, stderr: this.#stderr };
        if (!exit.expected) this.#logger?.warn({ code, signal, stderr: this.#stderr.slice(-1000) }, 'ffmpeg exited unexpectedly');
        resolve(exit);
        this.safeEmit('exit', exit);
        this.close();
      });
    });
    for (const transport of transports) {
      // The router closed (or its worker died): nothing more can arrive.
      transport.observer.once('close', () => this.close());
    }
    for (const consumer of consumers) {
      consumer.once('producerclose', () => this.safeEmit('producerclose', consumer.producerId));
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** ffmpeg's output: the container or the PCM, as it writes it. */
  get stdout(): Readable {
    return this.#ffmpeg.stdout;
  }

  get pid(): number | undefined {
    return this.#ffmpeg.pid;
  }

  /** Resolves when ffmpeg has exited and its stdout is fully read. */
  get exited(): Promise<FfmpegExit> {
    return this.#exited;
  }

  /** Date.now() of the first packet of any stream: where ffmpeg's output timeline starts. */
  mediaStartedAt(): number | null {
    const times = this.#consumers.map((_, i) => this.#relay.firstPacketAt(i)).filter((t) => t !== null);
    return times.length > 0 ? Math.min(...times) : null;
  }

  async requestKeyFrame(): Promise<void> {
    if (this.#closed) throw new InvalidStateError('PlainRtpOutput closed');
    await Promise.all(this.#consumers.filter((c) => c.kind === 'video' && !c.closed).map((c) => c.requestKeyFrame()));
  }

  /**
   * Asks ffmpeg to finish gracefully: it writes what it has and the container's trailer. The first
   * SIGINT is only noticed between packets. When none arrive (the producer closed or paused)
   * ffmpeg sits in a read that only a second signal interrupts; it still ends gracefully then, but
   * that signal also fails its remaining writes, so the output's last unwritten unit (a cluster or a
   * fragment, ≤ 500 ms with liveOutputArgs) is lost. So the second signal waits until no packet
   * has reached ffmpeg for a while; while packets flow, the first one is enough. SIGKILL if it has
   * not exited after `killAfterMs`.
   */
  #interrupt(killAfterMs: number): void {
    if (this.#expectedExit) return;
    this.#expectedExit = true;
    this.#ffmpeg.kill('SIGINT');
    const idle = setInterval(() => {
      if (this.#relay.idleMs < IDLE_BEFORE_SECOND_SIGNAL_MS) return;
      clearInterval(idle);
      this.#ffmpeg.kill('SIGINT');
    }, IDLE_BEFORE_SECOND_SIGNAL_MS / 2);
    const kill = setTimeout(() => this.#ffmpeg.kill('SIGKILL'), killAfterMs);
    // The child process keeps the event loop alive until it exits; the timers need not.
    idle.unref();
    kill.unref();
    void this.#exited.then(() => {
      clearInterval(idle);
      clearTimeout(kill);
    });
  }

  /** Lets ffmpeg finish (see #interrupt), waits for it to exit, then closes the transports. */
  async stop({ timeoutMs = 3000 }: { timeoutMs?: number } = {}): Promise<FfmpegExit> {
    if (this.#running) this.#interrupt(timeoutMs);
    const exit = await this.#exited;
    this.close();
    return exit;
  }

  /**
   * Ends the output. A still-running ffmpeg is asked to finish (see #interrupt) so what it holds
   * still reaches stdout; consumers, transports and the relay close once it has exited, because
   * the packets still arriving are what lets it notice the request at once.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#running) {
      this.#interrupt(2000);
      void this.#exited.then(() => this.#closeTransports());
    } else this.#closeTransports();
    this.safeEmit('close');
  }

  #closeTransports(): void {
    this.#relay.close();
    for (const transport of this.#transports) transport.close();
  }
}
