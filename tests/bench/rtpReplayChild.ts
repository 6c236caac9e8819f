// The replaying process behind RtpReplay: sends the captured packets to every target in real time.
import dgram from 'node:dgram';
import type { ReplayMessage } from './rtpReplay.ts';
import { ReplaySchedule } from './replaySchedule.ts';

let schedule: ReplaySchedule | undefined;
const sockets = new Map<number, dgram.Socket[]>();

process.on('message', (message: ReplayMessage) => {
  if (message.type === 'packets') {
    schedule = new ReplaySchedule(message.packets);
  } else if (message.type === 'add') {
    const connected = message.targets.map(({ kind, rtpPort }) => {
      const socket = dgram.createSocket('udp4');
      socket.on('error', () => {});
      socket.connect(rtpPort, '127.0.0.1');
      return { kind, socket };
    });
    sockets.set(message.id, connected.map((c) => c.socket));
    schedule!.add(message.id, connected.map(({ kind, socket }) => ({ kind, send: (packet: Buffer) => socket.send(packet) })));
  } else if (message.type === 'remove') {
    schedule?.remove(message.id);
    for (const socket of sockets.get(message.id) ?? []) socket.close();
    sockets.delete(message.id);
  }
});
// The benchmark is gone: so is this.
process.on('disconnect', () => process.exit(0));
