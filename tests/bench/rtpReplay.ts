// Simulated browsers for the benchmark, cheap enough to run a hundred beside the server: a clip is
// sent once through ffmpeg's RTP muxer and captured, then one child process replays the captured
// packets in real time to every answer's producers (timestamps and sequence numbers carried on
// across loops, each answer on its own clock). One ffmpeg per simulated browser cost more CPU
// than the server side of an answer.
import { fork, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import type { types } from 'mediasoup';
import { runFfmpeg } from '@rehearse/media';
import { AUDIO_PT, AUDIO_SSRC, createPlainProducer, untilFlowing, VIDEO_PT, VIDEO_SSRC } from '@rehearse/testkit/syntheticSender';
import type { SerializedPacket } from './replaySchedule.ts';

/** A captured packet: which stream, and its bytes. */
export interface CapturedPacket {
  kind: 'audio' | 'video';
  packet: Buffer;
}

/** What the child is told. */
export type ReplayMessage =
  | { type: 'packets'; packets: SerializedPacket[] }
  | { type: 'add'; id: number; targets: { kind: 'audio' | 'video'; rtpPort: number }[] }
  | { type: 'remove'; id: number };

/** The clip's Opus and VP8 as ffmpeg packetizes them (SSRCs and payload types of syntheticSender), every packet present. */
export async function capture(ffmpegPath: string, clip: string): Promise<CapturedPacket[]> {
  const packets: CapturedPacket[] = [];
  const sockets = await Promise.all(
    (['video', 'audio'] as const).map(async (kind) => {
      const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 16 << 20 });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      // RTCP goes to the next port up, where nothing listens: only RTP is kept.
      socket.on('message', (packet) => packets.push({ kind, packet }));
      return { kind, socket };
    }),
  );
  const [video, audio] = sockets.map((s) => s.socket.address().port) as [number, number];
  const args = ['-hide_banner', '-loglevel', 'error', '-i', clip];
  args.push('-map', '0:v', '-c:v', 'copy', '-ssrc', String(VIDEO_SSRC), '-payload_type', String(VIDEO_PT), '-f', 'rtp', `rtp://127.0.0.1:${video}?pkt_size=1200`);
  args.push('-map', '0:a', '-c:a', 'copy', '-ssrc', String(AUDIO_SSRC), '-payload_type', String(AUDIO_PT), '-f', 'rtp', `rtp://127.0.0.1:${audio}?pkt_size=1200`);
  try {
    await runFfmpeg(ffmpegPath, args, 'ffmpeg could not packetize the clip');
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    for (const { socket } of sockets) socket.close();
  }
  // No packet may be missing: the replay would carry the hole into every recording.
  for (const kind of ['audio', 'video'] as const) {
    const sequences = packets.filter((p) => p.kind === kind).map((p) => p.packet.readUInt16BE(2));
    for (let i = 1; i < sequences.length; i++) {
      if (((sequences[i]! - sequences[i - 1]!) & 0xffff) !== 1) throw new Error(`the ${kind} capture lost packets after sequence ${sequences[i - 1]}`);
    }
  }
  return packets;
}

/** Captured packets as they cross IPC to a replaying process. */
export function serialize(packets: CapturedPacket[]): SerializedPacket[] {
  return packets.map((p) => ({ kind: p.kind, base64: p.packet.toString('base64') }));
}

export class RtpReplay {
  readonly #child: ChildProcess;
  #next = 0;

  static async start({ ffmpegPath, clip }: { ffmpegPath: string; clip: string }): Promise<RtpReplay> {
    const packets = await capture(ffmpegPath, clip);
    const child = fork(path.join(import.meta.dirname, 'rtpReplayChild.ts'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send({ type: 'packets', packets: serialize(packets) } satisfies ReplayMessage);
    return new RtpReplay(child);
  }

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** The replaying process (its CPU is the simulated browsers', not the server's). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** One more simulated browser sending to new producers on `router`; resolves once media flows. */
  async add(router: types.Router): Promise<{ producers: types.Producer[]; audioProducer: types.Producer; close: () => void }> {
    const audio = await createPlainProducer(router, 'opus');
    const video = await createPlainProducer(router, 'vp8').catch((error) => {
      audio.transport.close();
      throw error;
    });
    const id = this.#next++;
    const close = () => {
      if (this.#child.connected) this.#child.send({ type: 'remove', id } satisfies ReplayMessage);
      audio.transport.close();
      video.transport.close();
    };
    this.#child.send({ type: 'add', id, targets: [{ kind: 'audio', rtpPort: audio.rtpPort }, { kind: 'video', rtpPort: video.rtpPort }] } satisfies ReplayMessage);
    try {
      await untilFlowing([audio.producer, video.producer], { failed: () => (this.#child.exitCode !== null ? 'the replaying process exited' : null) });
    } catch (error) {
      close();
      throw error;
    }
    return { producers: [audio.producer, video.producer], audioProducer: audio.producer, close };
  }

  close(): void {
    this.#child.kill();
  }
}
