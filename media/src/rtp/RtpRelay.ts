import dgram from 'node:dgram';
import type { MediaLogger } from '../log.ts';

/** Where ffmpeg listens for one stream: RTP on `rtpPort`, RTCP on `rtcpPort`. */
export interface RelayTarget {
  rtpPort: number;
  rtcpPort: number;
}

/** What one stream carries. */
export interface RelayStream {
  /** Its RTP payload type: other packets on its port (mediasoup's bandwidth probes) are dropped. */
  payloadType: number;
  /** Its RTP clock rate (48000 for Opus, 90000 for video). */
  clockRate: number;
}

interface Stream extends RelayStream {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  /** Sockets connected to ffmpeg's RTP and RTCP ports, once started: a connected UDP socket sends without an address lookup per packet. */
  out: { rtp: dgram.Socket; rtcp: dgram.Socket } | null;
  ssrc: number;
  firstPacketAt: number | null;
  firstTimestamp: number;
  /**
   * The least arrival − RTP time (ms) over the stream's packets since every stream has flowed (or
   * all of them, while not every stream has): where its least delayed packet puts its clock.
   */
  floorMs: number;
  /** ffmpeg has this stream's sender report. */
  reportSent: boolean;
  packets: number;
  octets: number;
}

/** RTCP packet type of a sender report (RFC 3550). */
const RTCP_SR = 200;
/** Seconds from the NTP epoch (1900) to the Unix epoch. */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
/** Packets sent per turn of the event loop while releasing the held backlog, so ffmpeg's socket buffer keeps up. */
const RELEASE_BATCH = 32;

function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Sits between mediasoup's PlainTransport consumers and ffmpeg, one socket pair per stream, and
 * gives ffmpeg the clock that lines the streams up.
 *
 * ffmpeg puts RTP streams on a shared clock with RTCP sender reports (SR): each SR maps a stream's
 * RTP timestamps to a wall-clock time, and ffmpeg re-anchors the stream's timestamps at every SR it
 * reads. Without SRs every stream is timestamped from zero at its own first packet, and video starts
 * later than audio (it waits for a keyframe). mediasoup's SRs do not make a steady clock: until it
 * has several of the sender's own SRs (seconds apart; ffmpeg senders send one every 5 s) they map
 * the RTP clock to when the newest packet arrived, so a sender that stalled and caught up moved its
 * stream's timeline by as much as it was late, at every SR, each stream on its own. Recordings had
 * gaps and overlaps of up to a second, grew longer than the answer, and drifted out of sync.
 *
 * So the relay writes the SRs itself, one per stream, and drops mediasoup's. It holds the RTP until
 * every stream has flowed for `alignMs`, maps each stream's RTP clock to the arrival of its least
 * delayed packet in that common window (a stall delays both streams alike, so the mapping holds
 * under load), sends the SRs, then the backlog. After that the RTP timestamps alone carry the
 * timeline: the sender's clock, gap-free. A stream that starts after the release gets its SR just
 * before its first packet.
 *
 * Holding also keeps what arrives before ffmpeg has bound its sockets, and the relay notes when each
 * stream's first packet arrived (where the recording's timeline starts).
 */
export class RtpRelay {
  readonly #streams: Stream[];
  readonly #host: string;
  readonly #align: boolean;
  readonly #alignMs: number;
  readonly #maxHoldMs: number;
  readonly #maxHeldPackets: number;
  readonly #logger: MediaLogger | undefined;
  /** Held RTP in arrival order, across streams, so the release keeps the interleaving. */
  #held: { stream: Stream; packet: Buffer }[] = [];
  #started = false;
  #released = false;
  #draining = false;
  #holdTimer: NodeJS.Timeout | null = null;
  #alignTimer: NodeJS.Timeout | null = null;
  #holdExpired = false;
  /** Every stream has flowed for alignMs. */
  #aligned = false;
  /** Every stream has sent a packet. */
  #allFlowing = false;
  #closed = false;
  #warnedFull = false;
  #lastForwardAt = 0;

  static async create({
    streams,
    host = '127.0.0.1',
    align = streams.length > 1,
    alignMs = 1000,
    maxHoldMs = 4000,
    maxHeldPackets = 20_000,
    logger,
  }: {
    /** In SDP order. */
    streams: RelayStream[];
    /** Interface for both sides; the relay is local to the media process. Default 127.0.0.1. */
    host?: string;
    /** Line the streams up (see above). Default: when there are several streams. */
    align?: boolean;
    /** How long every stream must have flowed before the mapping is taken. Default 1000. */
    alignMs?: number;
    /** Release anyway this long after the first packet if a stream never starts (a paused camera). Default 4000. */
    maxHoldMs?: number;
    /** Oldest held packets are dropped beyond this. Default 20 000 (several seconds of HD video). */
    maxHeldPackets?: number;
    logger?: MediaLogger;
  }): Promise<RtpRelay> {
    if (!Array.isArray(streams) || streams.length === 0) throw new TypeError('streams must be a non-empty array');
    for (const { payloadType, clockRate } of streams) {
      if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) throw new TypeError(`bad payload type ${payloadType}`);
      if (!(clockRate > 0)) throw new TypeError(`bad clock rate ${clockRate}`);
    }
    const sockets: dgram.Socket[] = [];
    const bind = async () => {
      const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      return socket;
    };
    const bound: Stream[] = [];
    try {
      for (const { payloadType, clockRate } of streams) {
        bound.push({
          payloadType,
          clockRate,
          rtp: await bind(),
          rtcp: await bind(),
          out: null,
          ssrc: 0,
          firstPacketAt: null,
          firstTimestamp: 0,
          floorMs: Infinity,
          reportSent: false,
          packets: 0,
          octets: 0,
        });
      }
    } catch (error) {
      for (const socket of sockets) socket.close();
      throw error;
    }
    return new RtpRelay(bound, host, align, alignMs, maxHoldMs, maxHeldPackets, logger);
  }

  private constructor(streams: Stream[], host: string, align: boolean, alignMs: number, maxHoldMs: number, maxHeldPackets: number, logger: MediaLogger | undefined) {
    this.#streams = streams;
    this.#host = host;
    this.#align = align;
    this.#alignMs = alignMs;
    this.#maxHoldMs = maxHoldMs;
    this.#maxHeldPackets = maxHeldPackets;
    this.#logger = logger;
    for (const stream of streams) {
      // A send to a port nobody listens on any more (ffmpeg just died) reports ECONNREFUSED on
      // some kernels; the owner notices ffmpeg's exit by itself.
      stream.rtp.on('error', () => {});
      stream.rtcp.on('error', () => {});
      stream.rtp.on('message', (packet) => this.#onRtp(stream, packet));
      // mediasoup's RTCP (its sender reports) is not passed on: the relay writes ffmpeg's.
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

  /** Date.now() when the stream's first RTP packet of its payload type arrived, or null. */
  firstPacketAt(index: number): number | null {
    return this.#streams[index]?.firstPacketAt ?? null;
  }

  /** Milliseconds since a packet was last sent to ffmpeg (Infinity if none was). */
  get idleMs(): number {
    return this.#lastForwardAt === 0 ? Infinity : Date.now() - this.#lastForwardAt;
  }

  /** RTP packets of the streams' payload types received, per stream. */
  get packetCounts(): number[] {
    return this.#streams.map((s) => s.packets);
  }

  /** ffmpeg listens now: forward to it (once the streams are lined up when aligning). */
  start(targets: RelayTarget[]): void {
    if (this.#closed || this.#started) return;
    if (targets.length !== this.#streams.length) throw new TypeError(`expected ${this.#streams.length} relay targets, got ${targets.length}`);
    this.#started = true;
    targets.forEach((target, i) => {
      const connected = (port: number) => {
        const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: 1 << 20 });
        // As for the receiving sockets: ffmpeg's exit is noticed by its owner.
        socket.on('error', () => {});
        // Sends before the connection completes are queued by dgram.
        socket.connect(port, this.#host);
        return socket;
      };
      this.#streams[i]!.out = { rtp: connected(target.rtpPort), rtcp: connected(target.rtcpPort) };
    });
    this.#maybeRelease();
  }

  #onRtp(stream: Stream, packet: Buffer): void {
    if (this.#closed || packet.length < 12 || (packet[1]! & 0x7f) !== stream.payloadType) return;
    const arrivedAt = now();
    const timestamp = packet.readUInt32BE(4);
    stream.packets++;
    stream.octets += packet.length - 12;
    if (stream.firstPacketAt === null) this.#onFirstPacket(stream, packet, timestamp);
    const mediaMs = (((timestamp - stream.firstTimestamp) | 0) / stream.clockRate) * 1000;
    stream.floorMs = Math.min(stream.floorMs, arrivedAt - mediaMs);
    if (this.#released && !this.#draining) {
      this.#toFfmpeg(stream, packet);
      return;
    }
    this.#held.push({ stream, packet });
    if (this.#held.length > this.#maxHeldPackets) {
      this.#held.shift();
      if (!this.#warnedFull) this.#logger?.warn('RTP backlog full while waiting for ffmpeg; dropping the oldest packets');
      this.#warnedFull = true;
    }
  }

  #onFirstPacket(stream: Stream, packet: Buffer, timestamp: number): void {
    stream.firstPacketAt = Date.now();
    stream.firstTimestamp = timestamp;
    stream.ssrc = packet.readUInt32BE(8);
    if (!this.#align) return;
    if (!this.#holdTimer) {
      this.#holdTimer = setTimeout(() => {
        this.#holdExpired = true;
        this.#maybeRelease();
      }, this.#maxHoldMs);
      this.#holdTimer.unref();
    }
    if (!this.#allFlowing && this.#streams.every((s) => s.firstPacketAt !== null)) {
      this.#allFlowing = true;
      // Only packets from here on compare the streams fairly: a stall that delays one delays all.
      for (const s of this.#streams) s.floorMs = Infinity;
      this.#alignTimer = setTimeout(() => {
        this.#aligned = true;
        this.#maybeRelease();
      }, this.#alignMs);
      this.#alignTimer.unref();
    }
  }

  #maybeRelease(): void {
    if (this.#released || !this.#started) return;
    if (this.#align && !this.#aligned && !this.#holdExpired) return;
    this.#release();
  }

  #release(): void {
    if (this.#released || this.#closed || !this.#started) return;
    this.#released = true;
    if (this.#holdTimer) clearTimeout(this.#holdTimer);
    if (this.#alignTimer) clearTimeout(this.#alignTimer);
    if (this.#align) {
      if (!this.#allFlowing) {
        this.#logger?.warn({ held: this.#held.length }, 'a stream sent nothing within the hold time; it is lined up from its first packet');
      }
      // ffmpeg reads RTCP before RTP when both are waiting, but sending the reports first and the
      // backlog a turn later does not rely on that.
      for (const stream of this.#streams) if (stream.firstPacketAt !== null) this.#sendReport(stream);
    }
    this.#draining = true;
    setImmediate(() => this.#drain());
  }

  /** The stream's sender report: its RTP clock mapped to when its least delayed packet arrived. */
  #sendReport(stream: Stream): void {
    stream.reportSent = true;
    const ntpMs = stream.floorMs;
    const report = Buffer.alloc(28);
    report[0] = 0x80;
    report[1] = RTCP_SR;
    report.writeUInt16BE(6, 2);
    report.writeUInt32BE(stream.ssrc, 4);
    report.writeUInt32BE((Math.floor(ntpMs / 1000) + NTP_UNIX_OFFSET_S) >>> 0, 8);
    report.writeUInt32BE(Math.floor(((ntpMs % 1000) / 1000) * 2 ** 32) >>> 0, 12);
    report.writeUInt32BE(stream.firstTimestamp, 16);
    report.writeUInt32BE(stream.packets >>> 0, 20);
    report.writeUInt32BE(stream.octets >>> 0, 24);
    this.#forward(stream.out!.rtcp, report);
  }

  #drain(): void {
    if (this.#closed) return;
    const batch = this.#held.splice(0, RELEASE_BATCH);
    for (const { stream, packet } of batch) this.#toFfmpeg(stream, packet);
    if (this.#held.length > 0) {
      setTimeout(() => this.#drain(), 1);
      return;
    }
    this.#draining = false;
  }

  /** A stream that starts after the release gets its sender report just before its first packet. */
  #toFfmpeg(stream: Stream, packet: Buffer): void {
    if (this.#align && !stream.reportSent) this.#sendReport(stream);
    this.#forward(stream.out!.rtp, packet);
  }

  #forward(socket: dgram.Socket, packet: Buffer): void {
    this.#lastForwardAt = Date.now();
    socket.send(packet);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#holdTimer) clearTimeout(this.#holdTimer);
    if (this.#alignTimer) clearTimeout(this.#alignTimer);
    this.#held = [];
    for (const s of this.#streams) {
      s.rtp.close();
      s.rtcp.close();
      s.out?.rtp.close();
      s.out?.rtcp.close();
    }
  }
}
