import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpRelay, type RelayTarget } from './RtpRelay.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What ffmpeg would receive: one RTP and one RTCP socket per stream, logging arrivals in order. */
async function fakeFfmpeg(streams: number): Promise<{ targets: RelayTarget[]; received: string[]; close(): void }> {
  const received: string[] = [];
  const sockets: dgram.Socket[] = [];
  const targets: RelayTarget[] = [];
  const bind = async (label: string) => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (m) => received.push(`${label}:${m.subarray(2).toString()}`));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    sockets.push(socket);
    return socket.address().port;
  };
  for (let i = 0; i < streams; i++) targets.push({ rtpPort: await bind(`rtp${i}`), rtcpPort: await bind(`rtcp${i}`) });
  return { targets, received, close: () => sockets.forEach((s) => s.close()) };
}

/** A datagram whose second byte is the RTCP packet type (200 = sender report) or an RTP marker/PT byte. */
function packet(type: number, label: string): Buffer {
  return Buffer.concat([Buffer.from([0x80, type]), Buffer.from(label)]);
}

describe('RtpRelay', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('holds RTP until every stream has a sender report, then releases the reports and the backlog in order', async () => {
    const relay = await RtpRelay.create({ streamCount: 2 });
    const ffmpeg = await fakeFfmpeg(2);
    const mediasoup = dgram.createSocket('udp4');
    cleanups.push(() => relay.close(), () => ffmpeg.close(), () => mediasoup.close());
    const [audio, video] = relay.listenPorts as [RelayTarget, RelayTarget];
    const send = (port: number, data: Buffer) => new Promise<void>((r) => mediasoup.send(data, port, '127.0.0.1', () => r()));

    await send(audio.rtpPort, packet(111, 'a1'));
    await send(video.rtpPort, packet(101, 'v1'));
    await send(audio.rtpPort, packet(111, 'a2'));
    relay.start(ffmpeg.targets);
    await send(audio.rtcpPort, packet(200, 'audio SR'));
    await sleep(50);
    expect(ffmpeg.received).toEqual([]);
    expect(relay.firstPacketAt(0)).toBeGreaterThan(Date.now() - 1000);

    await send(video.rtcpPort, packet(200, 'video SR'));
    await sleep(50);
    // Order is only defined per socket (the receiver polls them in its own order; ffmpeg reads RTCP first).
    expect(ffmpeg.received.filter((r) => r.startsWith('rtcp'))).toEqual(['rtcp0:audio SR', 'rtcp1:video SR']);
    expect(ffmpeg.received.filter((r) => r.startsWith('rtp0'))).toEqual(['rtp0:a1', 'rtp0:a2']);
    expect(ffmpeg.received.filter((r) => r.startsWith('rtp1'))).toEqual(['rtp1:v1']);
    await send(video.rtpPort, packet(101, 'v2'));
    await sleep(20);
    expect(ffmpeg.received.at(-1)).toBe('rtp1:v2');
    expect(relay.packetCounts).toEqual([2, 2]);
  });

  it('releases anyway when a sender report never comes, and passes a single stream straight through', async () => {
    const relay = await RtpRelay.create({ streamCount: 2, maxHoldMs: 150 });
    const single = await RtpRelay.create({ streamCount: 1 });
    const ffmpeg = await fakeFfmpeg(2);
    const ffmpegSingle = await fakeFfmpeg(1);
    const mediasoup = dgram.createSocket('udp4');
    cleanups.push(() => relay.close(), () => single.close(), () => ffmpeg.close(), () => ffmpegSingle.close(), () => mediasoup.close());
    relay.start(ffmpeg.targets);
    single.start(ffmpegSingle.targets);
    mediasoup.send(packet(111, 'a1'), relay.listenPorts[0]!.rtpPort, '127.0.0.1');
    mediasoup.send(packet(111, 'only'), single.listenPorts[0]!.rtpPort, '127.0.0.1');
    await sleep(60);
    expect(ffmpeg.received).toEqual([]);
    expect(ffmpegSingle.received).toEqual(['rtp0:only']);
    await sleep(200);
    expect(ffmpeg.received).toEqual(['rtp0:a1']);
  });
});
