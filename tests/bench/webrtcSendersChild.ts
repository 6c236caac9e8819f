// The process behind WebRtcSenders: a libdatachannel PeerConnection per simulated browser, its
// offer out, the server's answer in; once ICE and DTLS are up, the captured packets replayed into
// its tracks in real time (libdatachannel encrypts them with SRTP).
import { Audio, PeerConnection, Video, type Track } from 'node-datachannel';
import { ReplaySchedule } from './replaySchedule.ts';
import type { SenderMessage, SenderReport } from './webrtcSenders.ts';

let schedule: ReplaySchedule | undefined;
const peers = new Map<number, { pc: PeerConnection; tracks: Track[] }>();

const report = (message: SenderReport) => {
  if (process.connected) process.send!(message);
};

function offer(id: number, tracks: Extract<SenderMessage, { type: 'offer' }>['tracks']): void {
  const pc = new PeerConnection(`browser-${id}`, { iceServers: [], bindAddress: '127.0.0.1' });
  const sinks: { kind: 'audio' | 'video'; track: Track }[] = [];
  tracks.forEach(({ kind, payloadType, ssrc }, index) => {
    const mid = String(index);
    const media = kind === 'audio' ? new Audio(mid, 'SendOnly') : new Video(mid, 'SendOnly');
    if (media instanceof Audio) media.addOpusCodec(payloadType);
    else media.addVP8Codec(payloadType);
    media.addSSRC(ssrc, `browser-${id}`, `stream-${id}`, `${kind}-${id}`);
    sinks.push({ kind, track: pc.addTrack(media) });
  });
  peers.set(id, { pc, tracks: sinks.map((s) => s.track) });
  let open = 0;
  for (const { track } of sinks) {
    track.onOpen(() => {
      if (++open < sinks.length || !peers.has(id)) return;
      schedule!.add(
        id,
        sinks.map(({ kind, track: t }) => ({
          kind,
          send: (packet: Buffer) => {
            if (t.isOpen()) t.sendMessageBinary(packet);
          },
        })),
      );
      report({ type: 'open', id });
    });
    // RTCP from the server (receiver reports, PLI) arrives here; the clip has a keyframe a second anyway.
    track.onMessage(() => {});
  }
  pc.onStateChange((state) => {
    if (state === 'failed' || state === 'disconnected') report({ type: 'failed', id, reason: `the PeerConnection is ${state}` });
  });
  pc.onLocalDescription((sdp, type) => {
    if (type === 'offer') report({ type: 'offer', id, sdp });
  });
  pc.setLocalDescription();
}

function remove(id: number): void {
  schedule?.remove(id);
  const peer = peers.get(id);
  peers.delete(id);
  if (!peer) return;
  for (const track of peer.tracks) track.close();
  peer.pc.close();
}

process.on('message', (message: SenderMessage) => {
  try {
    if (message.type === 'packets') schedule = new ReplaySchedule(message.packets);
    else if (message.type === 'offer') offer(message.id, message.tracks);
    else if (message.type === 'answer') peers.get(message.id)?.pc.setRemoteDescription(message.sdp, 'answer');
    else if (message.type === 'remove') remove(message.id);
  } catch (error) {
    if ('id' in message) report({ type: 'failed', id: message.id, reason: (error as Error).message });
  }
});
// The benchmark is gone: so is this.
process.on('disconnect', () => process.exit(0));
