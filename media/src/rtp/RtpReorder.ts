/** One RTP packet's media, released in sequence order. */
export interface OrderedPayload {
  /** RTP timestamp extended past 32-bit wrap-around, relative to the first packet (0). */
  timestamp: number;
  payload: Buffer;
}

/** The parts of an RTP packet (RFC 3550 §5.1) a depacketizer needs; null if it is not RTP. */
export function parseRtp(packet: Buffer): { payloadType: number; sequence: number; timestamp: number; payload: Buffer } | null {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return null;
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return null;
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  let end = packet.length;
  if (packet[0]! & 0x20) end -= packet[end - 1]!;
  if (end < offset) return null;
  return { payloadType: packet[1]! & 0x7f, sequence: packet.readUInt16BE(2), timestamp: packet.readUInt32BE(4), payload: packet.subarray(offset, end) };
}

/**
 * Puts RTP packets back in sequence order with a small window: a packet that arrives out of order
 * is held until the ones before it come, or until `window` packets wait behind a hole, when the
 * hole is given up as lost. Duplicates and packets older than what was released are dropped.
 * Timestamps come out extended (no 32-bit wrap) and relative to the first packet.
 */
export class RtpReorder {
  readonly #window: number;
  #next: number | null = null;
  #lastTimestamp = 0;
  #extended = 0;
  readonly #pending = new Map<number, { timestamp: number; payload: Buffer }>();
  /** Packets given up as lost. */
  lost = 0;
  /** Packets that came after their place was released (too late), or twice. */
  late = 0;

  constructor(window = 5) {
    this.#window = window;
  }

  /** Adds a packet; returns what can now be released, in order. */
  push(sequence: number, timestamp: number, payload: Buffer): OrderedPayload[] {
    if (this.#next === null) {
      this.#next = sequence;
      this.#lastTimestamp = timestamp;
    }
    // Signed 16-bit distance from the next expected packet.
    const ahead = ((sequence - this.#next) << 16) >> 16;
    if (ahead < 0 || this.#pending.has(sequence)) {
      this.late++;
      return [];
    }
    this.#pending.set(sequence, { timestamp, payload });
    return this.#release(false);
  }

  /** Everything still held, holes skipped (the stream ended). */
  flush(): OrderedPayload[] {
    return this.#release(true);
  }

  #release(all: boolean): OrderedPayload[] {
    const out: OrderedPayload[] = [];
    while (this.#pending.size > 0) {
      const next = this.#next!;
      const packet = this.#pending.get(next);
      if (packet) {
        this.#pending.delete(next);
        this.#next = (next + 1) & 0xffff;
        // Signed 32-bit step from the previous released packet: survives the timestamp wrapping.
        this.#extended += (packet.timestamp - this.#lastTimestamp) | 0;
        this.#lastTimestamp = packet.timestamp;
        out.push({ timestamp: this.#extended, payload: packet.payload });
        continue;
      }
      if (!all && this.#pending.size < this.#window) break;
      // Give up on the hole: skip to the oldest held packet.
      let skip = Infinity;
      for (const sequence of this.#pending.keys()) skip = Math.min(skip, ((sequence - next) << 16) >> 16);
      this.lost += skip;
      this.#next = (next + skip) & 0xffff;
    }
    return out;
  }
}
