// Simulated browsers that speak WebRTC: one child process (webrtcSendersChild.ts) holds a
// libdatachannel PeerConnection per answer (ICE, DTLS, SRTP, like a page's send transport) and
// replays the captured clip's packets (rtpReplay.ts's capture) into its audio and video tracks in
// real time. The server side is the product's: a Peer's WebRtcTransport on the answer's router,
// and a producer per track. Signaling is an SDP offer (the child's) and an answer built here from
// the transport's ICE-lite parameters, candidates and DTLS fingerprints, as mediasoup-client does.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { types } from 'mediasoup';
import { Peer } from '@rehearse/media';
import { AUDIO_PT, AUDIO_SSRC, untilFlowing, VIDEO_PT, VIDEO_SSRC } from '@rehearse/testkit/syntheticSender';
import { capture, serialize } from './rtpReplay.ts';
import type { SerializedPacket } from './replaySchedule.ts';

/** What the child is told. */
export type SenderMessage =
  | { type: 'packets'; packets: SerializedPacket[] }
  | { type: 'offer'; id: number; tracks: { kind: 'audio' | 'video'; payloadType: number; ssrc: number }[] }
  | { type: 'answer'; id: number; sdp: string }
  | { type: 'remove'; id: number };

/** What the child tells. */
export type SenderReport = { type: 'offer'; id: number; sdp: string } | { type: 'open'; id: number } | { type: 'failed'; id: number; reason: string };

/** One m= section of an offer, as far as producing from it needs. */
export interface OfferedMedia {
  kind: 'audio' | 'video';
  mid: string;
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters: Record<string, string | number>;
  rtcpFeedback: types.RtcpFeedback[];
  headerExtensions: { uri: string; id: number }[];
  ssrc: number;
  cname: string;
}

export interface ParsedOffer {
  media: OfferedMedia[];
  fingerprints: types.DtlsFingerprint[];
  setup: string;
}

/** The parts of a (libdatachannel's, or a browser's) offer a send transport produces from: one codec per section. */
export function parseOffer(sdp: string): ParsedOffer {
  const lines = sdp.split(/\r?\n/).filter(Boolean);
  const sessionFingerprints: types.DtlsFingerprint[] = [];
  const mediaFingerprints: types.DtlsFingerprint[] = [];
  const media: OfferedMedia[] = [];
  let setup = 'actpass';
  let current: OfferedMedia | null = null;
  for (const line of lines) {
    const m = /^m=(audio|video) \d+ \S+ (\d+)/.exec(line);
    if (m) {
      current = { kind: m[1] as 'audio' | 'video', mid: '', payloadType: Number(m[2]), mimeType: '', clockRate: 0, parameters: {}, rtcpFeedback: [], headerExtensions: [], ssrc: 0, cname: '' };
      media.push(current);
      continue;
    }
    const fingerprint = /^a=fingerprint:(\S+) (\S+)/.exec(line);
    if (fingerprint) (current ? mediaFingerprints : sessionFingerprints).push({ algorithm: fingerprint[1]!.toLowerCase() as types.FingerprintAlgorithm, value: fingerprint[2]!.toUpperCase() });
    const role = /^a=setup:(\S+)/.exec(line);
    if (role) setup = role[1]!;
    if (!current) continue;
    const pt = current.payloadType;
    let match: RegExpExecArray | null;
    if ((match = /^a=mid:(\S+)/.exec(line))) current.mid = match[1]!;
    else if ((match = new RegExp(`^a=rtpmap:${pt} ([^/]+)/(\\d+)(?:/(\\d+))?`).exec(line))) {
      current.mimeType = `${current.kind}/${match[1]}`;
      current.clockRate = Number(match[2]);
      if (match[3]) current.channels = Number(match[3]);
    } else if ((match = new RegExp(`^a=fmtp:${pt} (.*)`).exec(line))) {
      for (const pair of match[1]!.split(';')) {
        const [key, value = ''] = pair.trim().split('=');
        if (key) current.parameters[key] = /^\d+$/.test(value) ? Number(value) : value;
      }
    } else if ((match = new RegExp(`^a=rtcp-fb:${pt} (\\S+)(?: (\\S+))?`).exec(line))) current.rtcpFeedback.push({ type: match[1]!, parameter: match[2] ?? '' });
    else if ((match = /^a=extmap:(\d+)(?:\/\S+)? (\S+)/.exec(line))) current.headerExtensions.push({ id: Number(match[1]), uri: match[2]! });
    else if ((match = /^a=ssrc:(\d+) cname:(\S+)/.exec(line))) {
      current.ssrc ||= Number(match[1]);
      current.cname ||= match[2]!;
    }
  }
  const fingerprints = sessionFingerprints.length > 0 ? sessionFingerprints : mediaFingerprints;
  if (fingerprints.length === 0) throw new Error('the offer has no DTLS fingerprint');
  for (const section of media) if (!section.mid || !section.mimeType || !section.ssrc) throw new Error(`the offer's ${section.kind} section lacks a mid, its codec or an SSRC`);
  return { media, fingerprints, setup };
}

/**
 * The answer a mediasoup send transport gives: ICE-lite with the transport's candidates, its DTLS
 * fingerprints and role (passive: mediasoup is the DTLS server, the offerer connects as client),
 * each section receive-only with the offered codec, the feedback mediasoup acts on (NACK, PLI)
 * and no header extensions (the packets carry none; producers are routed by SSRC).
 */
export function buildAnswer(offer: ParsedOffer, transport: types.WebRtcTransport): string {
  const { iceParameters, iceCandidates, dtlsParameters } = transport;
  const eol = '\r\n';
  const lines = ['v=0', `o=mediasoup ${Date.now()} 1 IN IP4 0.0.0.0`, 's=-', 't=0 0', 'a=ice-lite', `a=group:BUNDLE ${offer.media.map((m) => m.mid).join(' ')}`, 'a=msid-semantic: WMS *'];
  for (const fp of dtlsParameters.fingerprints.filter((f) => f.algorithm === 'sha-256')) lines.push(`a=fingerprint:${fp.algorithm} ${fp.value}`);
  const udp = iceCandidates.find((c) => c.protocol === 'udp') ?? iceCandidates[0]!;
  for (const m of offer.media) {
    const codec = m.mimeType.split('/')[1]!;
    lines.push(`m=${m.kind} ${udp.port} UDP/TLS/RTP/SAVPF ${m.payloadType}`, `c=IN IP4 ${udp.address}`, `a=mid:${m.mid}`, 'a=recvonly', 'a=rtcp-mux');
    lines.push(`a=rtpmap:${m.payloadType} ${codec}/${m.clockRate}${m.channels ? `/${m.channels}` : ''}`);
    const fmtp = Object.entries(m.parameters).map(([k, v]) => `${k}=${v}`);
    if (fmtp.length > 0) lines.push(`a=fmtp:${m.payloadType} ${fmtp.join(';')}`);
    for (const fb of answeredFeedback(m)) lines.push(`a=rtcp-fb:${m.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
    lines.push(`a=setup:passive`, `a=ice-ufrag:${iceParameters.usernameFragment}`, `a=ice-pwd:${iceParameters.password}`);
    for (const c of iceCandidates) lines.push(`a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}${c.tcpType ? ` tcptype ${c.tcpType}` : ''}`);
    lines.push('a=end-of-candidates');
  }
  return lines.join(eol) + eol;
}

function answeredFeedback(m: OfferedMedia): types.RtcpFeedback[] {
  return m.rtcpFeedback.filter((fb) => fb.type === 'nack' && (fb.parameter === '' || fb.parameter === 'pli'));
}

/** A producer's RTP parameters for one offered section: its payload type, SSRC, mid and (no) extensions. */
export function producerParameters(m: OfferedMedia): types.RtpParameters {
  return {
    mid: m.mid,
    codecs: [{ mimeType: m.mimeType, payloadType: m.payloadType, clockRate: m.clockRate, ...(m.channels ? { channels: m.channels } : {}), parameters: m.parameters, rtcpFeedback: answeredFeedback(m) }],
    headerExtensions: m.headerExtensions.map((e) => ({ uri: e.uri as types.RtpHeaderExtensionUri, id: e.id })),
    encodings: [{ ssrc: m.ssrc }],
    rtcp: { cname: m.cname, reducedSize: true },
  };
}

export interface WebRtcSender {
  peer: Peer;
  transport: types.WebRtcTransport;
  /** Audio first, like PlainRtpOutput orders them. */
  producers: types.Producer[];
  audioProducer: types.Producer;
  close(): void;
}

export class WebRtcSenders {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, { offer?: (sdp: string) => void; open?: () => void; fail: (reason: string) => void }>();
  #next = 0;

  static async start({ ffmpegPath, clip }: { ffmpegPath: string; clip: string }): Promise<WebRtcSenders> {
    const packets = await capture(ffmpegPath, clip);
    const child = fork(path.join(import.meta.dirname, 'webrtcSendersChild.ts'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send({ type: 'packets', packets: serialize(packets) } satisfies SenderMessage);
    return new WebRtcSenders(child);
  }

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (report: SenderReport) => {
      const waiting = this.#waiting.get(report.id);
      if (report.type === 'offer') waiting?.offer?.(report.sdp);
      else if (report.type === 'open') waiting?.open?.();
      else waiting?.fail(report.reason);
    });
    child.on('exit', () => {
      for (const waiting of this.#waiting.values()) waiting.fail('the sending process exited');
    });
  }

  /** The sending process (its CPU is the simulated browsers', not the server's). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** One more simulated browser, connected over WebRTC to a new Peer on `router`; resolves once media flows. */
  async add(router: types.Router, { timeoutMs = 10_000 } = {}): Promise<WebRtcSender> {
    const id = this.#next++;
    const peer = new Peer({ id: `bench-${id}`, userId: 'bench', role: 'candidate', router, transportSettings: { listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] } });
    let failure: string | null = null;
    const close = () => {
      this.#waiting.delete(id);
      if (this.#child.connected) this.#child.send({ type: 'remove', id } satisfies SenderMessage);
      peer.close();
    };
    try {
      const step = <T>(what: 'offer' | 'open') =>
        new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${what} from the simulated browser within ${timeoutMs} ms`)), timeoutMs);
          const entry = this.#waiting.get(id) ?? { fail: () => {} };
          entry[what] = ((value: T) => {
            clearTimeout(timer);
            resolve(value);
          }) as never;
          entry.fail = (reason) => {
            failure = reason;
            clearTimeout(timer);
            reject(new Error(reason));
          };
          this.#waiting.set(id, entry);
        });
      const transport = await peer.createWebRtcTransport('send');
      const offered = step<string>('offer');
      this.#child.send({ type: 'offer', id, tracks: [{ kind: 'audio', payloadType: AUDIO_PT, ssrc: AUDIO_SSRC }, { kind: 'video', payloadType: VIDEO_PT, ssrc: VIDEO_SSRC }] } satisfies SenderMessage);
      const offer = parseOffer(await offered);
      const opened = step<void>('open');
      this.#child.send({ type: 'answer', id, sdp: buildAnswer(offer, transport) } satisfies SenderMessage);
      // The offerer's role once the answer says passive: it connects, as DTLS client.
      await transport.connect({ dtlsParameters: { role: offer.setup === 'passive' ? 'server' : 'client', fingerprints: offer.fingerprints } });
      const producers: types.Producer[] = [];
      for (const m of [...offer.media].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'audio' ? -1 : 1))) {
        producers.push(await peer.produce(transport.id, m.kind, producerParameters(m), { source: m.kind === 'audio' ? 'mic' : 'camera' }));
      }
      await opened;
      await untilFlowing(producers, { timeoutMs, failed: () => failure ?? (transport.dtlsState === 'failed' ? 'DTLS failed' : null) });
      // Media reached the producers through ICE and DTLS-SRTP, not around them. (SRTP decrypts only
      // after the handshake, but the worker's state notification can trail the first packets on a
      // busy machine: it gets a few seconds to arrive.)
      const deadline = Date.now() + 5000;
      while (transport.dtlsState === 'connecting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (transport.dtlsState !== 'connected' || !['connected', 'completed'].includes(transport.iceState)) throw new Error(`media flows but ICE is ${transport.iceState} and DTLS ${transport.dtlsState}`);
      return { peer, transport, producers, audioProducer: producers.find((p) => p.kind === 'audio')!, close };
    } catch (error) {
      close();
      throw error;
    }
  }

  close(): void {
    this.#child.kill();
  }
}
