import type { types } from 'mediasoup';
import { InvalidStateError, LimitError, NotFoundError } from './errors.ts';
import { TypedEmitter } from './TypedEmitter.ts';

export type PeerRole = 'candidate' | 'mentor';

export type PeerEvents = {
  newproducer: [types.Producer];
  close: [];
  /** Private: lets the Room drop the peer from its map. */
  '@close': [];
};

export interface WebRtcTransportSettings {
  listenInfos: types.TransportListenInfo[];
  initialAvailableOutgoingBitrate?: number;
}

/**
 * How much one participant may hold at once. A page needs one send and one receive transport, a
 * microphone and a camera, and the other side's two tracks; the rest is headroom for a page that
 * replaces something. Each WebRTC transport holds a UDP and a TCP port, so an unbounded peer
 * could exhaust the port range (RTC_MIN_PORT..RTC_MAX_PORT) by itself.
 */
export const PEER_LIMITS = { transports: 4, producers: 4, consumers: 8 } as const;

/** One participant's transports, producers and consumers in a Room. Closing it closes them all. */
export class Peer extends TypedEmitter<PeerEvents> {
  readonly id: string;
  readonly userId: string;
  readonly role: PeerRole;
  readonly #router: types.Router;
  readonly #transportSettings: WebRtcTransportSettings;
  readonly #transports = new Map<string, types.WebRtcTransport>();
  readonly #producers = new Map<string, types.Producer>();
  readonly #consumers = new Map<string, types.Consumer>();
  /** Creations in flight, counted against the limits so a burst of requests cannot overshoot them. */
  readonly #pending = { transports: 0, producers: 0, consumers: 0 };
  #closed = false;

  constructor({ id, userId, role, router, transportSettings }: { id: string; userId: string; role: PeerRole; router: types.Router; transportSettings: WebRtcTransportSettings }) {
    super();
    this.id = id;
    this.userId = userId;
    this.role = role;
    this.#router = router;
    this.#transportSettings = transportSettings;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get producers(): types.Producer[] {
    return [...this.#producers.values()];
  }

  get consumers(): types.Consumer[] {
    return [...this.#consumers.values()];
  }

  get transports(): types.WebRtcTransport[] {
    return [...this.#transports.values()];
  }

  #assertOpen(): void {
    if (this.#closed) throw new InvalidStateError(`peer ${this.id} closed`);
  }

  transport(transportId: string): types.WebRtcTransport | undefined {
    return this.#transports.get(transportId);
  }

  consumer(consumerId: string): types.Consumer | undefined {
    return this.#consumers.get(consumerId);
  }

  producer(producerId: string): types.Producer | undefined {
    return this.#producers.get(producerId);
  }

  /** Runs `create` if one more `what` fits under PEER_LIMITS, counting the ones being created. */
  async #withinLimit<T>(what: keyof typeof PEER_LIMITS, current: number, create: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    if (current + this.#pending[what] >= PEER_LIMITS[what]) throw new LimitError(`a participant may have at most ${PEER_LIMITS[what]} ${what}`);
    this.#pending[what]++;
    try {
      return await create();
    } finally {
      this.#pending[what]--;
    }
  }

  createWebRtcTransport(direction: 'send' | 'recv'): Promise<types.WebRtcTransport> {
    return this.#withinLimit('transports', this.#transports.size, () => this.#createWebRtcTransport(direction));
  }

  async #createWebRtcTransport(direction: 'send' | 'recv'): Promise<types.WebRtcTransport> {
    const transport = await this.#router.createWebRtcTransport({
      listenInfos: this.#transportSettings.listenInfos,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: this.#transportSettings.initialAvailableOutgoingBitrate ?? 1_000_000,
      appData: { direction },
    });
    if (this.#closed) {
      transport.close();
      throw new InvalidStateError(`peer ${this.id} closed`);
    }
    this.#transports.set(transport.id, transport);
    transport.observer.once('close', () => this.#transports.delete(transport.id));
    return transport;
  }

  produce(transportId: string, kind: types.MediaKind, rtpParameters: types.RtpParameters, appData: Record<string, unknown>): Promise<types.Producer> {
    return this.#withinLimit('producers', this.#producers.size, () => this.#produce(transportId, kind, rtpParameters, appData));
  }

  async #produce(transportId: string, kind: types.MediaKind, rtpParameters: types.RtpParameters, appData: Record<string, unknown>): Promise<types.Producer> {
    const transport = this.#requireTransport(transportId, 'send');
    const producer = await transport.produce({ kind, rtpParameters, appData: { ...appData, peerId: this.id } });
    if (this.#closed) {
      producer.close();
      throw new InvalidStateError(`peer ${this.id} closed`);
    }
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
    this.safeEmit('newproducer', producer);
    return producer;
  }

  consume(transportId: string, producer: types.Producer, rtpCapabilities: types.RtpCapabilities): Promise<types.Consumer> {
    return this.#withinLimit('consumers', this.#consumers.size, () => this.#consume(transportId, producer, rtpCapabilities));
  }

  async #consume(transportId: string, producer: types.Producer, rtpCapabilities: types.RtpCapabilities): Promise<types.Consumer> {
    const transport = this.#requireTransport(transportId, 'recv');
    // Paused until the page has set up its side, so the first keyframe is not lost.
    const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities, paused: true, appData: { peerId: this.id } });
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
    return consumer;
  }

  #requireTransport(transportId: string, direction: 'send' | 'recv'): types.WebRtcTransport {
    const transport = this.#transports.get(transportId);
    if (!transport || transport.appData.direction !== direction) throw new NotFoundError(`no ${direction} transport ${transportId}`);
    return transport;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Closing a transport closes its producers and consumers in mediasoup.
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.safeEmit('@close');
    this.safeEmit('close');
  }
}
