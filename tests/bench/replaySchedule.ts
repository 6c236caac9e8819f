// The clock behind the benchmarks' simulated browsers: the captured packets (see rtpReplay.ts)
// replayed in real time to every target, each on its own clock, timestamps and sequence numbers
// carried on across loops. Where a packet goes (a UDP socket, a WebRTC track) is the sink's affair.

/** A captured packet as it crosses IPC: which stream, and its bytes. */
export interface SerializedPacket {
  kind: 'audio' | 'video';
  base64: string;
}

interface Stream {
  packets: { atMs: number; packet: Buffer }[];
  clockRate: number;
}

/** Where one stream of one target goes. */
export interface ReplaySink {
  kind: 'audio' | 'video';
  send(packet: Buffer): void;
}

interface Target {
  startedAt: number;
  /** Per stream: its sink, and the next packet (counting across loops). */
  streams: { stream: Stream; sink: ReplaySink; next: number }[];
}

const TICK_MS = 5;

export class ReplaySchedule {
  readonly #streams = new Map<'audio' | 'video', Stream>();
  readonly #targets = new Map<number, Target>();
  readonly #loopMs: number;

  constructor(packets: SerializedPacket[]) {
    for (const kind of ['audio', 'video'] as const) {
      const clockRate = kind === 'audio' ? 48000 : 90000;
      const buffers = packets.filter((p) => p.kind === kind).map((p) => Buffer.from(p.base64, 'base64'));
      const first = buffers[0]!.readUInt32BE(4);
      this.#streams.set(kind, { clockRate, packets: buffers.map((packet) => ({ packet, atMs: (((packet.readUInt32BE(4) - first) >>> 0) / clockRate) * 1000 })) });
    }
    // The clip's length: its audio, one 20 ms frame past the last packet.
    this.#loopMs = this.#streams.get('audio')!.packets.at(-1)!.atMs + 20;
    setInterval(() => this.#tick(), TICK_MS);
  }

  /** Starts sending to `sinks` now, from the clip's first packet. */
  add(id: number, sinks: ReplaySink[]): void {
    this.#targets.set(id, { startedAt: performance.now(), streams: sinks.map((sink) => ({ stream: this.#streams.get(sink.kind)!, sink, next: 0 })) });
  }

  remove(id: number): ReplaySink[] {
    const target = this.#targets.get(id);
    this.#targets.delete(id);
    return target?.streams.map((s) => s.sink) ?? [];
  }

  #tick(): void {
    const now = performance.now();
    for (const target of this.#targets.values()) {
      for (const entry of target.streams) {
        const { packets, clockRate } = entry.stream;
        for (;;) {
          const loop = Math.floor(entry.next / packets.length);
          const { packet, atMs } = packets[entry.next % packets.length]!;
          if (target.startedAt + loop * this.#loopMs + atMs > now) break;
          // Later loops continue the sequence numbers and the clock.
          const copy = Buffer.from(packet);
          copy.writeUInt16BE((packet.readUInt16BE(2) + loop * packets.length) & 0xffff, 2);
          copy.writeUInt32BE((packet.readUInt32BE(4) + Math.round((loop * this.#loopMs * clockRate) / 1000)) >>> 0, 4);
          entry.sink.send(copy);
          entry.next++;
        }
      }
    }
  }
}
