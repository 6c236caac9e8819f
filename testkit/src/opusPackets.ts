// Real Opus RTP packets for tests that need to control order, loss and timing exactly: ffmpeg
// encodes a tone and sends it as RTP to a socket here, as fast as it can.
import dgram from 'node:dgram';
import { runFfmpeg } from '@rehearse/media';

export const OPUS_TEST_SSRC = 33333333;
export const OPUS_TEST_PAYLOAD_TYPE = 100;

/** `seconds` of a `frequency` Hz tone as Opus RTP packets (20 ms each), in sequence order. */
export async function captureOpusRtp({ ffmpegPath, seconds = 2, frequency = 440 }: { ffmpegPath: string; seconds?: number; frequency?: number }): Promise<Buffer[]> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const packets: Buffer[] = [];
  socket.on('message', (packet) => packets.push(packet));
  const { port } = socket.address();
  try {
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000`, '-t', String(seconds)];
    args.push('-c:a', 'libopus', '-b:a', '48k', '-frame_duration', '20', '-ssrc', String(OPUS_TEST_SSRC), '-payload_type', String(OPUS_TEST_PAYLOAD_TYPE), '-f', 'rtp', `rtp://127.0.0.1:${port}?pkt_size=1200`);
    await runFfmpeg(ffmpegPath, args, 'ffmpeg could not send the tone');
    // The last datagrams may still be in the socket's queue.
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    socket.close();
  }
  const expected = Math.round((seconds * 1000) / 20);
  if (packets.length < expected) throw new Error(`captured ${packets.length} of ${expected} Opus packets`);
  return packets;
}
