import dgram from 'node:dgram';
import type { MediaLogger } from '../log.ts';

/** Where ffmpeg listens for one stream: RTP on `rtpPort`, RTCP on `rtcpPort`. */
export interface RelayTarget {
  rtpPort: number;
  rtcpPort: number;
}

interface Stream {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  target: RelayTarget | null;
  senderReport: boolean;
  firstPacketAt: number | null;
  packets: number;
}

/** RTCP packet type of a sender report (RFC 3550). */
const RTCP_SR = 200;
/** Packets sent per turn of the event loop while releasing the held backlog, so ffmpeg's socket buffer keeps up. */
const RELEASE_BATCH = 32;

/**
 * Sits between mediasoup's PlainTransport consumers and ffmpeg, one socket pair per stream.
 *
 * Why it exists: ffmpeg puts a stream on the shared (RTCP sender report) clock only once that
 * stream's first SR has arrived; packets before it are timestamped from zero per stream. mediasoup
 * sends the first SR up to ~1.5 s after media starts, and video starts later than audio (it waits
 * for a keyframe), so without the relay the first second of a recording was measured 0.3 to 0.9 s
 * out of sync, with a timestamp jump when the SR landed. Holding every stream's RTP until each stream
 * has an SR, then sending the SRs first, puts every packet on the shared clock.
 *
 * It also holds everything until ffmpeg has bound its sockets, so nothing sent meanwhile is lost,
 * and it notes when each stream's first packet arrived (the audio fork timestamps from it).
 */
export class RtpRelay {
  readonly #streams: Stream[];
  readonly #host: string;
  readonly #holdForSenderReports: boolean;
  readonly #maxHoldMs: number;
  readonly #maxHeldPackets: number;
  readonly #logger: MediaLogger | undefined;
  /** Held RTP in arrival order, across streams, so the release keeps the interleaving. */
  #held: { stream: Stream; packet: Buffer }[] = [];
  #heldRtcp: { stream: Stream; packet: Buffer }[] = [];
  #started = false;
  #released = false;
  #draining = false;
  #holdTimer: NodeJS.Timeout | null = null;
  #holdExpired = false;
  #closed = false;
  #warnedFull = false;
  #lastForwardAt = 0;

  static async create({
    streamCount,
    host = '127.0.0.1',
    holdForSenderReports = streamCount > 1,
    maxHoldMs = 4000,
    maxHeldPackets = 20_000,
    logger,
  }: {
    streamCount: number;
    /** Interface for both sides; the relay is local to the media process. Default 127.0.0.1. */
    host?: string;
    /** Hold RTP until every stream's first sender report. Default: when there are several streams. */
    holdForSenderReports?: boolean;
    /** Release anyway this long after the first packet if a sender report never comes (a paused camera). Default 4000. */
    maxHoldMs?: number;
    /** Oldest held packets are dropped beyond this. Default 20 000 (several seconds of HD video). */
    maxHeldPackets?: number;
    logger?: MediaLogger;
  }): Promise<RtpRelay> {
    const streams: Stream[] = [];
    const bind = async () => {
      const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      return socket;
    };
    try {
      for (let i = 0; i < streamCount; i++) {
        streams.push({ rtp: await bind(), rtcp: await bind(), target: null, senderReport: false, firstPacketAt: null, packets: 0 });
      }
    } catch (error) {
      for (const s of streams) {
        s.rtp.close();
        s.rtcp.close();
      }
      throw error;
    }
    return new RtpRelay(streams, host, holdForSenderReports, maxHoldMs, maxHeldPackets, logger);
  }

  private constructor(streams: Stream[], host: string, holdForSenderReports: boolean, maxHoldMs: number, maxHeldPackets: number, logger: MediaLogger | undefined) {
    this.#streams = streams;
    this.#host = host;
    this.#holdForSenderReports = holdForSenderReports;
    this.#maxHoldMs = maxHoldMs;
    this.#maxHeldPackets = maxHeldPackets;
    this.#logger = logger;
    for (const stream of streams) {
      // A send to a port nobody listens on any more (ffmpeg just died) reports ECONNREFUSED on
      // some kernels; the owner notices ffmpeg's exit by itself.
      stream.rtp.on('error', () => {});
      stream.rtcp.on('error', () => {});
      stream.rtp.on('message', (packet) => this.#onRtp(stream, packet));
      stream.rtcp.on('message', (packet) => this.#onRtcp(stream, packet));
    }
  }

  /** Where mediasoup must send each stream (PlainTransport.connect's port and rtcpPort). */
  get listenPorts(): RelayTarget[] {
    return this.#streams.map((s) => ({ rtpPort: s.rtp.address().port, rtcpPort: s.rtcp.address().port }));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get host(): string {
    return this.#host;
  }

  /** Date.now() when the stream's first RTP packet arrived, or null. */
  firstPacketAt(index: number): number | null {
    return this.#streams[index]?.firstPacketAt ?? null;
  }

  /** Milliseconds since a packet was last sent to ffmpeg (Infinity if none was). */
  get idleMs(): number {
    return this.#lastForwardAt === 0 ? Infinity : Date.now() - this.#lastForwardAt;
  }

  /** RTP packets received per stream. */
  get packetCounts(): number[] {
    return this.#streams.map((s) => s.packets);
  }

  /** ffmpeg listens now: forward to it (after every stream's sender report when holding). */
  start(targets: RelayTarget[]): void {
    if (this.#closed || this.#started) return;
    if (targets.length !== this.#streams.length) throw new TypeError(`expected ${this.#streams.length} relay targets, got ${targets.length}`);
    this.#started = true;
    targets.forEach((target, i) => (this.#streams[i]!.target = target));
    this.#maybeRelease();
  }

  #onRtp(stream: Stream, packet: Buffer): void {
    if (this.#closed) return;
    (globalThis as any).__relayTap?.(this, this.#streams.indexOf(stream), 'rtp', packet);
    stream.packets++;
    if (stream.firstPacketAt === null) {
      stream.firstPacketAt = Date.now();
      if (!this.#holdTimer && this.#holdForSenderReports) {
        this.#holdTimer = setTimeout(() => {
          this.#holdExpired = true;
          this.#maybeRelease();
        }, this.#maxHoldMs);
        this.#holdTimer.unref();
      }
    }
    if (this.#released && !this.#draining) {
      this.#forward(stream.rtp, packet, stream.target!.rtpPort);
      return;
    }
    this.#held.push({ stream, packet });
    if (this.#held.length > this.#maxHeldPackets) {
      this.#held.shift();
      if (!this.#warnedFull) this.#logger?.warn('RTP backlog full while waiting for ffmpeg; dropping the oldest packets');
      this.#warnedFull = true;
    }
  }

  #onRtcp(stream: Stream, packet: Buffer): void {
    if (this.#closed) return;
    (globalThis as any).__relayTap?.(this, this.#streams.indexOf(stream), 'rtcp', packet);
    if (packet.length > 1 && packet[1] === RTCP_SR) stream.senderReport = true;
    if (this.#released) {
      this.#forward(stream.rtcp, packet, stream.target!.rtcpPort);
      return;
    }
    this.#heldRtcp.push({ stream, packet });
    this.#maybeRelease();
  }

  #maybeRelease(): void {
    if (this.#released || !this.#started) return;
    if (this.#holdForSenderReports && !this.#holdExpired && !this.#streams.every((s) => s.senderReport)) return;
    this.#release();
  }

  #release(): void {
    if (this.#released || this.#closed || !this.#started) return;
    this.#released = true;
    if (this.#holdExpired && !this.#streams.every((s) => s.senderReport)) {
      this.#logger?.warn({ held: this.#held.length }, 'no RTCP sender report within the hold time; ffmpeg may misalign the first second of audio and video');
    }
    if (this.#holdTimer) clearTimeout(this.#holdTimer);
    // ffmpeg reads RTCP before RTP when both are waiting, but sending the reports first and the
    // backlog a turn later does not rely on that.
    for (const { stream, packet } of this.#heldRtcp) this.#forward(stream.rtcp, packet, stream.target!.rtcpPort);
    this.#heldRtcp = [];
    this.#draining = true;
    setImmediate(() => this.#drain());
  }

  #drain(): void {
    if (this.#closed) return;
    const batch = this.#held.splice(0, RELEASE_BATCH);
    for (const { stream, packet } of batch) this.#forward(stream.rtp, packet, stream.target!.rtpPort);
    if (this.#held.length > 0) {
      setTimeout(() => this.#drain(), 1);
      return;
    }
    this.#draining = false;
  }

  #forward(socket: dgram.Socket, packet: Buffer, port: number): void {
    this.#lastForwardAt = Date.now();
    socket.send(packet, port, this.#host);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#holdTimer) clearTimeout(this.#holdTimer);
    this.#held = [];
    this.#heldRtcp = [];
    for (const s of this.#streams) {
      s.rtp.close();
      s.rtcp.close();
    }
  }
}
