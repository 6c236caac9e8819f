import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpRelay, type RelayTarget } from './RtpRelay.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const AUDIO = { payloadType: 111, clockRate: 48000 };
const VIDEO = { payloadType: 96, clockRate: 90000 };

interface Received {
  socket: string;
  /** RTP: the sequence number; RTCP: the packet type. */
  id: number;
  packet: Buffer;
}

/** What ffmpeg would receive: one RTP and one RTCP socket per stream, logging arrivals in order. */
async function fakeFfmpeg(streams: number): Promise<{ targets: RelayTarget[]; received: Received[]; close(): void }> {
  const received: Received[] = [];
  const sockets: dgram.Socket[] = [];
  const targets: RelayTarget[] = [];
  const bind = async (label: string) => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (m) => received.push({ socket: label, id: label.startsWith('rtcp') ? m[1]! : m.readUInt16BE(2), packet: m }));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    sockets.push(socket);
    return socket.address().port;
  };
  for (let i = 0; i < streams; i++) targets.push({ rtpPort: await bind(`rtp${i}`), rtcpPort: await bind(`rtcp${i}`) });
  return { targets, received, close: () => sockets.forEach((s) => s.close()) };
}

function rtp(payloadType: number, seq: number, timestamp: number, ssrc = 1111): Buffer {
  const packet = Buffer.alloc(40);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(timestamp >>> 0, 4);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

/** A sender report as mediasoup sends it: only its packet type matters here. */
const mediasoupSr = Buffer.from([0x80, 200, 0, 6, ...new Array<number>(24).fill(7)]);

/** An RTCP sender report's mapping: RTP timestamp `rtp` was captured at `ntpMs`. */
function parseSr(packet: Buffer): { ssrc: number; ntpMs: number; rtp: number } {
  expect(packet[1]).toBe(200);
  return { ssrc: packet.readUInt32BE(4), ntpMs: packet.readUInt32BE(8) * 1000 + (packet.readUInt32BE(12) / 2 ** 32) * 1000, rtp: packet.readUInt32BE(16) };
}

describe('RtpRelay', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  async function setUp(options: Omit<Parameters<typeof RtpRelay.create>[0], 'streams'> & { streams?: Parameters<typeof RtpRelay.create>[0]['streams'] } = {}) {
    const streams = options.streams ?? [AUDIO, VIDEO];
    const relay = await RtpRelay.create({ ...options, streams });
    const ffmpeg = await fakeFfmpeg(streams.length);
    const mediasoup = dgram.createSocket('udp4');
    cleanups.push(() => relay.close(), () => ffmpeg.close(), () => mediasoup.close());
    const send = (port: number, data: Buffer) => new Promise<void>((r) => mediasoup.send(data, port, '127.0.0.1', () => r()));
    return { relay, ffmpeg, send, ports: relay.listenPorts };
  }

  it('holds RTP until every stream has flowed, then sends one sender report per stream and the backlog in order', async () => {
    const { relay, ffmpeg, send, ports } = await setUp({ alignMs: 100 });
    const [audio, video] = ports as [RelayTarget, RelayTarget];

    await send(audio.rtpPort, rtp(111, 1, 1000, 11));
    // mediasoup's bandwidth probe on the video port: not the stream's payload type.
    await send(video.rtpPort, rtp(127, 9000, 5, 1234));
    await send(audio.rtpPort, rtp(111, 2, 1960, 11));
    relay.start(ffmpeg.targets);
    await send(audio.rtcpPort, mediasoupSr);
    await sleep(150);
    // Video has not flowed yet: nothing is released, and the probe did not start it.
    expect(ffmpeg.received).toEqual([]);
    expect(relay.firstPacketAt(1)).toBeNull();
    expect(relay.firstPacketAt(0)).toBeGreaterThan(Date.now() - 1000);

    await send(video.rtpPort, rtp(96, 1, 90_000, 22));
    await sleep(30);
    expect(ffmpeg.received).toEqual([]);
    await sleep(150);
    // Order is only defined per socket (the receiver polls them in its own order; ffmpeg reads RTCP first).
    const on = (socket: string) => ffmpeg.received.filter((r) => r.socket === socket).map((r) => r.id);
    expect(on('rtcp0')).toEqual([200]);
    expect(on('rtcp1')).toEqual([200]);
    expect(on('rtp0')).toEqual([1, 2]);
    expect(on('rtp1')).toEqual([1]);
    // The reports are the relay's own, for the streams' SSRCs; mediasoup's is not passed on.
    const reports = ffmpeg.received.filter((r) => r.socket.startsWith('rtcp')).map((r) => parseSr(r.packet));
    expect(reports.map((r) => r.ssrc)).toEqual([11, 22]);

    await send(video.rtpPort, rtp(96, 2, 93_000, 22));
    await send(video.rtcpPort, mediasoupSr);
    await sleep(20);
    expect(on('rtp1')).toEqual([1, 2]);
    expect(on('rtcp1')).toEqual([200]);
    expect(relay.packetCounts).toEqual([2, 2]);
  });

  it('lines the streams up at their least delayed packets, not at a stalled start', async () => {
    const { relay, ffmpeg, send, ports } = await setUp({ alignMs: 300 });
    const [audio, video] = ports as [RelayTarget, RelayTarget];
    relay.start(ffmpeg.targets);
    // One sender, one capture clock; random RTP timestamp origins per stream, as browsers have.
    const audioBase = 123_456;
    const videoBase = 3_000_000_000;
    const t0 = performance.now();
    let seq = 0;
    // The audio arrives 150 ms late at first (the sender stalled), then catches up; video is on time.
    while (performance.now() - t0 < 400) {
      const nowMs = performance.now() - t0;
      const audioLate = nowMs < 150 ? 150 : 0;
      seq++;
      await send(audio.rtpPort, rtp(111, seq, audioBase + Math.round((nowMs - audioLate) * 48)));
      await send(video.rtpPort, rtp(96, seq, videoBase + Math.round(nowMs * 90)));
      await sleep(10);
    }
    await sleep(100);
    const [audioSr, videoSr] = ['rtcp0', 'rtcp1'].map((socket) => parseSr(ffmpeg.received.find((r) => r.socket === socket)!.packet)) as [ReturnType<typeof parseSr>, ReturnType<typeof parseSr>];
    // Where each report puts capture instant 200 ms (rate in ticks per ms; RTP differences wrap at 32 bits).
    const at = (sr: ReturnType<typeof parseSr>, base: number, rate: number) => sr.ntpMs + ((base + 200 * rate - sr.rtp) | 0) / rate;
    const skew = at(audioSr, audioBase, 48) - at(videoSr, videoBase, 90);
    expect(Math.abs(skew)).toBeLessThan(15);
  });

  it('releases anyway when a stream never starts, and passes a single stream straight through', async () => {
    const { relay, ffmpeg, send, ports } = await setUp({ maxHoldMs: 150 });
    const single = await setUp({ streams: [AUDIO] });
    relay.start(ffmpeg.targets);
    single.relay.start(single.ffmpeg.targets);
    await send(ports[0]!.rtpPort, rtp(111, 1, 1000));
    await single.send(single.ports[0]!.rtpPort, rtp(111, 7, 1000));
    await single.send(single.ports[0]!.rtcpPort, mediasoupSr);
    await sleep(60);
    expect(ffmpeg.received).toEqual([]);
    // One stream needs no shared clock: no report, and mediasoup's is not passed on.
    expect(single.ffmpeg.received.map((r) => `${r.socket}:${r.id}`)).toEqual(['rtp0:7']);
    await sleep(200);
    expect(ffmpeg.received.map((r) => `${r.socket}:${r.id}`).sort()).toEqual(['rtcp0:200', 'rtp0:1']);
    // The camera starts late: its report comes just before its first packet.
    await send(ports[1]!.rtpPort, rtp(96, 1, 5000));
    await sleep(20);
    expect(ffmpeg.received.filter((r) => r.socket.endsWith('1')).map((r) => `${r.socket}:${r.id}`).sort()).toEqual(['rtcp1:200', 'rtp1:1']);
  });
});
