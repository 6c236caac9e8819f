// One recorded answer (or one party of a mentor call), from the page's side: signaling socket →
// join → send transport → the microphone and camera produced to the media server; in a call, also
// a receive transport consuming the other party's media. Keeps the answer alive through network
// trouble: an ICE restart when the transport drops, and a full rejoin (fresh token, new socket,
// new transport, the same tracks produced again) when the socket goes or the server asks for it.
import { Device, type types } from 'mediasoup-client';
import type { JoinInfo } from '../api.ts';
import { MediaConnectionError } from './errors.ts';
import { SignalingClient, SignalingError, type NotificationData, type RecordingState, type RequestData, type ResponseData } from './SignalingClient.ts';

export type SignalingPhase = 'closed' | 'connecting' | 'open' | 'reconnecting';
/** The send transport's RTCPeerConnection state (ICE and DTLS together), or `none` before it exists. */
export type TransportPhase = types.ConnectionState | 'none';

export interface SessionStatus {
  signaling: SignalingPhase;
  transport: TransportPhase;
  /** The server's recording state (waiting → recording → stopped) and its time zero. */
  recording: RecordingState | null;
  iceRestarts: number;
  rejoins: number;
  /** What the session is doing about a problem, for people; null when all is well. */
  notice: string | null;
}

export interface RecordingSessionOptions {
  answerId: string;
  join: JoinInfo;
  mic: MediaStreamTrack;
  camera: MediaStreamTrack;
  /** A fresh join token for this answer (POST /api/answers/:id/join). */
  rejoin: () => Promise<JoinInfo>;
  onStatus: (status: SessionStatus) => void;
  /** The answer's live transcript and metrics, as the media server sends them. */
  onAnalysis?: (update: NotificationData['analysis']) => void;
  /** The media server saved the answer's report (or could not). */
  onReport?: (report: NotificationData['report']) => void;
  /** The session gave up (it is closed): the answer cannot continue from this page. */
  onFatal: (error: Error) => void;
  /** A call: receive the other party's media (each track as it arrives, again after a rejoin). */
  onRemoteTrack?: (track: MediaStreamTrack) => void;
  /** A call, to the mentor: the candidate's live transcript and metrics. */
  onCoaching?: (update: NotificationData['coaching']) => void;
}

/** How long to keep trying to get back into the room before giving up (the server waits 20 s). */
const REJOIN_GIVE_UP_MS = 60_000;
/** A transport still failed this long after an ICE restart gets a full rejoin instead. */
const ICE_RESTART_GRACE_MS = 8_000;
/**
 * The first media connection of an answer must be up within this: ICE (the network path) or DTLS
 * (the encryption handshake) that never completes is a network that blocks WebRTC, and retrying
 * from the same network will not help.
 */
export const FIRST_CONNECT_TIMEOUT_MS = 15_000;


/**
 * mediasoup-client recognises browsers by user agent; a Chromium it does not know (e.g. headless,
 * or a new fork) still speaks the modern WebRTC API, so fall back to its current Chrome handler.
 */
export async function createDevice(): Promise<Device> {
  try {
    return await Device.factory();
  } catch (error) {
    if (typeof RTCPeerConnection === 'function') return new Device({ handlerName: 'Chrome111' });
    throw new SignalingError('UNSUPPORTED_CODEC', `This browser cannot send video to the server (${(error as Error).message}). Try a current Chrome, Edge, Firefox or Safari.`);
  }
}

/** What mediasoup-client needs to make a transport the server created. */
function transportOptions(info: ResponseData['createWebRtcTransport'], iceServers: RTCIceServer[], iceTransportPolicy: RTCIceTransportPolicy = 'all'): types.TransportOptions {
  return {
    id: info.id,
    iceParameters: info.iceParameters as types.IceParameters,
    iceCandidates: info.iceCandidates as types.IceCandidate[],
    dtlsParameters: info.dtlsParameters as types.DtlsParameters,
    iceServers,
    iceTransportPolicy,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RecordingSession {
  readonly answerId: string;
  readonly #options: RecordingSessionOptions;
  #join: JoinInfo;
  #signaling: SignalingClient | null = null;
  #transport: types.Transport | null = null;
  #recvTransport: types.Transport | null = null;
  #status: SessionStatus = { signaling: 'closed', transport: 'none', recording: null, iceRestarts: 0, rejoins: 0, notice: null };
  #restartingIce = false;
  #failedTimer: ReturnType<typeof setTimeout> | null = null;
  #firstConnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** The media connection has been up at least once (later trouble is recovered, not fatal). */
  #everConnected = false;
  #reconnecting: Promise<void> | null = null;
  /** Set while the answer is being stopped: a dropped socket then needs no rejoin. */
  #ending = false;
  #closed = false;

  constructor(options: RecordingSessionOptions) {
    this.answerId = options.answerId;
    this.#options = options;
    this.#join = options.join;
  }

  get status(): SessionStatus {
    return this.#status;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Connects and produces both tracks; resolves once the server has accepted them. */
  async start(): Promise<void> {
    this.#update({ signaling: 'connecting' });
    await this.#connect();
  }

  /** The answer is being stopped: socket trouble from now on is not worth a rejoin. */
  beginStop(): void {
    this.#ending = true;
  }

  /** Stopping failed and the answer goes on: reconnect again if the socket drops. */
  cancelStop(): void {
    this.#ending = false;
    if (this.#signaling?.closed && !this.#closed) this.#scheduleRejoin('the connection to the media server dropped');
  }

  /** Leaves the room and releases the connection; the tracks stay open (they are the preview). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#failedTimer) clearTimeout(this.#failedTimer);
    if (this.#firstConnectTimer) clearTimeout(this.#firstConnectTimer);
    const signaling = this.#signaling;
    if (signaling && !signaling.closed) void signaling.request('leave', {}).catch(() => {}).finally(() => signaling.close());
    this.#transport?.close();
    this.#recvTransport?.close();
    this.#update({ signaling: 'closed', transport: 'closed', notice: null });
  }

  #update(patch: Partial<SessionStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#options.onStatus(this.#status);
  }

  /** One attempt: socket, join, transport, produce. Leaves nothing open if it fails. */
  async #connect({ rejoining = false }: { rejoining?: boolean } = {}): Promise<void> {
    const signaling = await SignalingClient.connect(this.#join.mediaUrl);
    if (this.#closed) return signaling.close();
    this.#signaling = signaling;
    signaling.on('recording', (recording) => this.#update({ recording }));
    signaling.on('analysis', (update) => this.#options.onAnalysis?.(update));
    signaling.on('report', (report) => this.#options.onReport?.(report));
    signaling.on('coaching', (update) => this.#options.onCoaching?.(update));
    // The other party may produce while this page is still setting up: their producers are held
    // until the receive transport exists (the join's snapshot alone would miss them).
    const incoming = { ids: [] as string[], consume: null as ((producerId: string) => void) | null };
    signaling.on('newProducer', ({ producerId }) => (incoming.consume ? incoming.consume(producerId) : incoming.ids.push(producerId)));
    signaling.on('rejoin', ({ reason }) => this.#update({ notice: `Reconnecting: ${reason}` }));
    try {
      const joined = await signaling.request('join', { token: this.#join.token });
      this.#update({ signaling: 'open', recording: joined.recording, rejoins: this.#status.rejoins + (rejoining ? 1 : 0) });
      const device = await createDevice();
      await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities });
      if (!device.canProduce('audio') || !device.canProduce('video')) {
        throw new SignalingError('UNSUPPORTED_CODEC', 'This browser cannot send Opus audio and video in a format the server records.');
      }
      const info = await signaling.request('createWebRtcTransport', { direction: 'send' });
      const transport = this.#createTransport(device, signaling, info, this.#iceServers(joined.iceServers));
      // WebM holds VP8 (not H.264): the recording is remuxed without transcoding.
      const vp8 = device.sendRtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
      // stopTracks: false — the tracks outlive this transport (preview, and producing again after a rejoin).
      await transport.produce({ track: this.#options.mic, stopTracks: false, appData: { source: 'mic' } });
      await transport.produce({ track: this.#options.camera, stopTracks: false, codec: vp8, appData: { source: 'camera' } });
      if (this.#options.onRemoteTrack) await this.#receive(device, signaling, incoming, joined.producers.map((p) => p.producerId), this.#iceServers(joined.iceServers));
    } catch (error) {
      signaling.close();
      this.#transport?.close();
      this.#recvTransport?.close();
      throw error;
    }
    if (this.#closed) return;
    // Listening only now: a socket that closes during set-up is the attempt's failure, handled by the caller.
    signaling.onClose(({ byUs, code, reason }) => {
      if (byUs || this.#closed) return;
      this.#update({ signaling: 'reconnecting', notice: this.#status.notice ?? `Reconnecting: the connection to the media server dropped (${code}${reason ? ` ${reason}` : ''})` });
      this.#scheduleRejoin('the connection to the media server dropped');
    });
    if (signaling.closed) this.#scheduleRejoin('the connection to the media server dropped');
  }

  /** A call: a receive transport, consuming what the other party produces now and later. */
  async #receive(device: Device, signaling: SignalingClient, incoming: { ids: string[]; consume: ((producerId: string) => void) | null }, producerIds: string[], iceServers: RTCIceServer[]): Promise<void> {
    const recv = device.createRecvTransport(transportOptions(await signaling.request('createWebRtcTransport', { direction: 'recv' }), iceServers, this.#join.iceTransportPolicy));
    this.#recvTransport?.close();
    this.#recvTransport = recv;
    recv.on('connect', ({ dtlsParameters }, callback, errback) => {
      signaling.request('connectWebRtcTransport', { transportId: recv.id, dtlsParameters }).then(() => callback(), errback);
    });
    const consumed = new Set<string>();
    const consume = async (producerId: string) => {
      if (recv.closed || consumed.has(producerId)) return;
      consumed.add(producerId);
      const params = await signaling.request('consume', { transportId: recv.id, producerId, rtpCapabilities: device.recvRtpCapabilities as RequestData<'consume'>['rtpCapabilities'] });
      const consumer = await recv.consume({ id: params.consumerId, producerId, kind: params.kind, rtpParameters: params.rtpParameters as types.RtpParameters });
      await signaling.request('resumeConsumer', { consumerId: params.consumerId });
      this.#options.onRemoteTrack?.(consumer.track);
    };
    incoming.consume = (producerId) => void consume(producerId).catch((error) => console.warn('could not receive the other party’s media', error));
    for (const producerId of [...producerIds, ...incoming.ids]) await consume(producerId);
  }

  #createTransport(device: Device, signaling: SignalingClient, info: ResponseData['createWebRtcTransport'], iceServers: RTCIceServer[]): types.Transport {
    const transport = device.createSendTransport(transportOptions(info, iceServers, this.#join.iceTransportPolicy));
    this.#transport?.close();
    this.#transport = transport;
    this.#update({ transport: transport.connectionState });

    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      signaling.request('connectWebRtcTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const source = appData.source === 'mic' || appData.source === 'camera' ? appData.source : undefined;
      signaling
        .request('produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as RequestData<'produce'>['rtpParameters'], appData: { source } })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
    transport.on('connectionstatechange', (state) => {
      if (transport !== this.#transport) return;
      this.#update({ transport: state, notice: state === 'connected' ? null : this.#status.notice });
      if (state === 'connected') {
        this.#everConnected = true;
        if (this.#firstConnectTimer) clearTimeout(this.#firstConnectTimer);
        this.#firstConnectTimer = null;
      }
      if (state === 'connected' && this.#failedTimer) {
        clearTimeout(this.#failedTimer);
        this.#failedTimer = null;
      }
      if (state === 'failed' && !this.#everConnected) return this.#cannotConnect();
      if (state === 'disconnected' || state === 'failed') void this.#restartIce(transport, signaling);
    });
    if (!this.#everConnected) {
      if (this.#firstConnectTimer) clearTimeout(this.#firstConnectTimer);
      this.#firstConnectTimer = setTimeout(() => {
        this.#firstConnectTimer = null;
        if (!this.#everConnected && !this.#closed) this.#cannotConnect();
      }, FIRST_CONNECT_TIMEOUT_MS);
    }
    return transport;
  }

  /** The first media connection never came up: give up with words a person can act on. */
  #cannotConnect(): void {
    if (this.#closed) return;
    this.close();
    this.#options.onFatal(
      new MediaConnectionError(
        'Your camera and microphone could not reach the media server, so nothing was recorded. The network you are on may block video calls (a firewall, a VPN or a network without UDP): try another network, or ask whoever runs this server to set up a TURN server.',
      ),
    );
  }

  /** The network path dropped: new ICE credentials from the server, same transport and producers. */
  async #restartIce(transport: types.Transport, signaling: SignalingClient): Promise<void> {
    if (this.#restartingIce || this.#closed || signaling.closed) return;
    this.#restartingIce = true;
    this.#update({ notice: 'Network interrupted: restoring the media connection…' });
    try {
      const { iceParameters } = await signaling.request('restartIce', { transportId: transport.id });
      await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
      this.#update({ iceRestarts: this.#status.iceRestarts + 1 });
    } catch (error) {
      // The socket is gone too, or the transport is: a rejoin (if one is due) rebuilds everything.
      console.warn('ICE restart failed', error);
    } finally {
      this.#restartingIce = false;
    }
    this.#failedTimer ??= setTimeout(() => {
      this.#failedTimer = null;
      if (transport === this.#transport && transport.connectionState !== 'connected' && !this.#closed && !this.#ending) {
        // ICE could not recover on the same transport: start over on a new socket and transport.
        this.#signaling?.close();
        this.#scheduleRejoin('the media connection did not recover');
      }
    }, ICE_RESTART_GRACE_MS);
  }

  /** The API's ICE servers (with this join's TURN credential) first; the media server's as a fallback. */
  #iceServers(fromMedia: RTCIceServer[]): RTCIceServer[] {
    return this.#join.iceServers.length > 0 ? this.#join.iceServers : fromMedia;
  }

  #scheduleRejoin(reason: string): void {
    if (this.#closed || this.#ending) return;
    this.#reconnecting ??= this.#rejoin(reason).finally(() => (this.#reconnecting = null));
  }

  /** Fresh token, new socket, join again, new transport, the same tracks produced again. */
  async #rejoin(reason: string): Promise<void> {
    this.#transport?.close();
    this.#transport = null;
    this.#update({ signaling: 'reconnecting', transport: 'none', notice: this.#status.notice ?? `Reconnecting: ${reason}` });
    const deadline = Date.now() + REJOIN_GIVE_UP_MS;
    for (let attempt = 0; ; attempt++) {
      if (this.#closed || this.#ending) return;
      try {
        this.#join = await this.#options.rejoin();
        if (this.#closed || this.#ending) return;
        await this.#connect({ rejoining: true });
        this.#update({ notice: null });
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        // The answer was stopped meanwhile (e.g. by the server after the grace period): nothing to rejoin.
        const final = code === 'ANSWER_FINISHED' || code === 'ANSWER_NOT_FOUND' || code === 'UNAUTHENTICATED' || code === 'WRONG_MEDIA_SERVER';
        if (final || Date.now() > deadline) {
          this.close();
          this.#options.onFatal(error as Error);
          return;
        }
        this.#update({ notice: `Reconnecting (attempt ${attempt + 2}): ${(error as Error).message}` });
        await sleep(Math.min(500 * 2 ** attempt, 5000));
      }
    }
  }
}
