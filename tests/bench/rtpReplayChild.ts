// The replaying process behind RtpReplay: sends the captured packets to every target in real time.
import dgram from 'node:dgram';
import type { ReplayMessage } from './rtpReplay.ts';

interface Stream {
  packets: { atMs: number; packet: Buffer }[];
  clockRate: number;
}

interface Target {
  startedAt: number;
  /** Per stream: the socket connected to the producer's port, and the next packet (counting across loops). */
  streams: { stream: Stream; socket: dgram.Socket; next: number }[];
}

const TICK_MS = 5;
const streams = new Map<'audio' | 'video', Stream>();
const targets = new Map<number, Target>();
let loopMs = 0;

function load(packets: { kind: 'audio' | 'video'; base64: string }[]): void {
  for (const kind of ['audio', 'video'] as const) {
    const clockRate = kind === 'audio' ? 48000 : 90000;
    const buffers = packets.filter((p) => p.kind === kind).map((p) => Buffer.from(p.base64, 'base64'));
    const first = buffers[0]!.readUInt32BE(4);
    streams.set(kind, { clockRate, packets: buffers.map((packet) => ({ packet, atMs: (((packet.readUInt32BE(4) - first) >>> 0) / clockRate) * 1000 })) });
  }
  // The clip's length: its audio, one 20 ms frame past the last packet.
  loopMs = streams.get('audio')!.packets.at(-1)!.atMs + 20;
}

function tick(): void {
  const now = performance.now();
  for (const target of targets.values()) {
    for (const entry of target.streams) {
      const { packets, clockRate } = entry.stream;
      for (;;) {
        const loop = Math.floor(entry.next / packets.length);
        const { packet, atMs } = packets[entry.next % packets.length]!;
        if (target.startedAt + loop * loopMs + atMs > now) break;
        // Later loops continue the sequence numbers and the clock.
        const copy = Buffer.from(packet);
        copy.writeUInt16BE((packet.readUInt16BE(2) + loop * packets.length) & 0xffff, 2);
        copy.writeUInt32BE((packet.readUInt32BE(4) + Math.round((loop * loopMs * clockRate) / 1000)) >>> 0, 4);
        entry.socket.send(copy);
        entry.next++;
      }
    }
  }
}

process.on('message', (message: ReplayMessage) => {
  if (message.type === 'packets') {
    load(message.packets);
    setInterval(tick, TICK_MS);
  } else if (message.type === 'add') {
    const target: Target = { startedAt: performance.now(), streams: [] };
    for (const { kind, rtpPort } of message.targets) {
      const socket = dgram.createSocket('udp4');
      socket.on('error', () => {});
      socket.connect(rtpPort, '127.0.0.1');
      target.streams.push({ stream: streams.get(kind)!, socket, next: 0 });
    }
    targets.set(message.id, target);
  } else if (message.type === 'remove') {
    for (const { socket } of targets.get(message.id)?.streams ?? []) socket.close();
    targets.delete(message.id);
  }
});
// The benchmark is gone: so is this.
process.on('disconnect', () => process.exit(0));
