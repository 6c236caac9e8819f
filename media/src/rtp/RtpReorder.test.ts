import { describe, expect, it } from 'vitest';
import { parseRtp, RtpReorder, type OrderedPayload } from './RtpReorder.ts';

const payload = (n: number) => Buffer.from([n & 0xff]);
const ids = (out: OrderedPayload[]) => out.map((p) => p.payload[0]);

describe('RtpReorder', () => {
  it('releases packets in order at once, timestamps relative to the first', () => {
    const reorder = new RtpReorder();
    expect(reorder.push(100, 5000, payload(1))).toEqual([{ timestamp: 0, payload: payload(1) }]);
    expect(reorder.push(101, 5960, payload(2))).toEqual([{ timestamp: 960, payload: payload(2) }]);
    expect(reorder.lost + reorder.late).toBe(0);
  });

  it('holds a packet that overtook another until the other arrives', () => {
    const reorder = new RtpReorder();
    reorder.push(1, 0, payload(1));
    expect(reorder.push(3, 1920, payload(3))).toEqual([]);
    expect(ids(reorder.push(2, 960, payload(2)))).toEqual([2, 3]);
    expect(reorder.lost).toBe(0);
  });

  it('gives a hole up as lost once the window is full behind it', () => {
    const reorder = new RtpReorder(3);
    reorder.push(1, 0, payload(1));
    expect(reorder.push(3, 1920, payload(3))).toEqual([]);
    expect(reorder.push(4, 2880, payload(4))).toEqual([]);
    const out = reorder.push(5, 3840, payload(5));
    expect(ids(out)).toEqual([3, 4, 5]);
    expect(out.map((p) => p.timestamp)).toEqual([1920, 2880, 3840]);
    expect(reorder.lost).toBe(1);
    // The lost packet turning up afterwards is late, not released.
    expect(reorder.push(2, 960, payload(2))).toEqual([]);
    expect(reorder.late).toBe(1);
  });

  it('drops duplicates and packets from before the first', () => {
    const reorder = new RtpReorder();
    reorder.push(10, 0, payload(10));
    expect(reorder.push(10, 0, payload(10))).toEqual([]);
    reorder.push(12, 1920, payload(12));
    expect(reorder.push(12, 1920, payload(12))).toEqual([]);
    expect(reorder.push(9, -960, payload(9))).toEqual([]);
    expect(reorder.late).toBe(3);
  });

  it('keeps counting across sequence and timestamp wrap-around', () => {
    const reorder = new RtpReorder();
    const start = 2 ** 32 - 960;
    const out = [
      ...reorder.push(65534, start, payload(1)),
      ...reorder.push(65535, (start + 960) >>> 0, payload(2)),
      ...reorder.push(0, (start + 1920) >>> 0, payload(3)),
      ...reorder.push(1, (start + 2880) >>> 0, payload(4)),
    ];
    expect(out.map((p) => p.timestamp)).toEqual([0, 960, 1920, 2880]);
  });

  it('flushes what it holds, skipping holes, when the stream ends', () => {
    const reorder = new RtpReorder();
    reorder.push(1, 0, payload(1));
    reorder.push(4, 2880, payload(4));
    reorder.push(3, 1920, payload(3));
    expect(ids(reorder.flush())).toEqual([3, 4]);
    expect(reorder.lost).toBe(1);
  });
});

describe('parseRtp', () => {
  function packet({ csrcs = 0, extensionWords = -1, padding = 0, body = [7, 8, 9] }: { csrcs?: number; extensionWords?: number; padding?: number; body?: number[] }): Buffer {
    const header = Buffer.alloc(12 + csrcs * 4);
    header[0] = 0x80 | (padding ? 0x20 : 0) | (extensionWords >= 0 ? 0x10 : 0) | csrcs;
    header[1] = 0x80 | 111;
    header.writeUInt16BE(4242, 2);
    header.writeUInt32BE(123456789, 4);
    const parts = [header];
    if (extensionWords >= 0) {
      const extension = Buffer.alloc(4 + extensionWords * 4, 0xee);
      extension.writeUInt16BE(0xbede, 0);
      extension.writeUInt16BE(extensionWords, 2);
      parts.push(extension);
    }
    parts.push(Buffer.from(body));
    if (padding) parts.push(Buffer.from([...Array(padding - 1).fill(0), padding]));
    return Buffer.concat(parts);
  }

  it('finds the payload behind CSRCs and a header extension, without padding', () => {
    const parsed = parseRtp(packet({ csrcs: 2, extensionWords: 2, padding: 4 }));
    expect(parsed).toMatchObject({ payloadType: 111, sequence: 4242, timestamp: 123456789 });
    expect([...parsed!.payload]).toEqual([7, 8, 9]);
  });

  it('refuses what is not RTP', () => {
    expect(parseRtp(Buffer.from('hello'))).toBeNull();
    expect(parseRtp(Buffer.alloc(20))).toBeNull();
    const truncated = packet({ extensionWords: 4 }).subarray(0, 14);
    expect(parseRtp(truncated)).toBeNull();
    // A padding count longer than the packet.
    const overPadded = packet({ body: [5] });
    overPadded[0]! |= 0x20;
    expect(parseRtp(overPadded)).toBeNull();
  });
});
