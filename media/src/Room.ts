import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import { InvalidStateError, LimitError } from './errors.ts';
import { mediaCodecs } from './codecs.ts';
import { Peer, type PeerRole, type WebRtcTransportSettings } from './Peer.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** Why a room closed: closed (the server, or empty for too long), finished (its answer ended), workerdied. */
export type RoomCloseReason = 'closed' | 'finished' | 'workerdied';

/** A room is for one candidate answering, or a candidate and a mentor in a call. */
export const MAX_PEERS_PER_ROOM = 2;

export type RoomEvents = {
  peerjoined: [Peer];
  peerleft: [Peer];
  newproducer: [Peer, types.Producer];
  close: [RoomCloseReason];
  '@close': [];
};

/**
 * One mediasoup router and the peers in it: a candidate answering alone, or a candidate and a
 * mentor in a call. Closing the room closes its peers and router; if the router's worker dies,
 * the room closes itself with reason 'workerdied' so peers can be told to rejoin elsewhere.
 */
export class Room extends TypedEmitter<RoomEvents> {
  readonly id: string;
  readonly router: types.Router;
  readonly #transportSettings: WebRtcTransportSettings;
  readonly #peers = new Map<string, Peer>();
  #closeReason: RoomCloseReason | null = null;
  #closeDone = false;

  static async create({ id, worker, transportSettings }: { id: string; worker: types.Worker; transportSettings: WebRtcTransportSettings }): Promise<Room> {
    if (!id) throw new TypeError('room id required');
    const router = await worker.createRouter({ mediaCodecs, appData: { roomId: id } });
    return new Room(id, router, transportSettings);
  }

  private constructor(id: string, router: types.Router, transportSettings: WebRtcTransportSettings) {
    super();
    this.id = id;
    this.router = router;
    this.#transportSettings = transportSettings;
    // 'workerclose' comes before the observer's 'close' when the worker goes away under the router.
    router.once('workerclose', () => this.#close('workerdied'));
    router.observer.once('close', () => this.#close('closed'));
  }

  get closed(): boolean {
    return this.#closeReason !== null;
  }

  /** Why it closed, set before its peers are closed (so they can tell their pages why); null while open. */
  get closeReason(): RoomCloseReason | null {
    return this.#closeReason;
  }

  get peers(): Peer[] {
    return [...this.#peers.values()];
  }

  peer(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  /** Adds a participant. A user joining again (a reconnect) replaces their previous peer. */
  join({ userId, role }: { userId: string; role: PeerRole }): Peer {
    if (this.closed) throw new InvalidStateError(`room ${this.id} closed`);
    for (const existing of [...this.#peers.values()]) {
      if (existing.userId === userId) existing.close();
    }
    if (this.#peers.size >= MAX_PEERS_PER_ROOM) throw new LimitError(`a room holds at most ${MAX_PEERS_PER_ROOM} participants`);
    const peer = new Peer({ id: randomUUID(), userId, role, router: this.router, transportSettings: this.#transportSettings });
    this.#peers.set(peer.id, peer);
    peer.once('@close', () => {
      this.#peers.delete(peer.id);
      this.safeEmit('peerleft', peer);
    });
    peer.on('newproducer', (producer) => this.safeEmit('newproducer', peer, producer));
    this.safeEmit('peerjoined', peer);
    return peer;
  }

  /** Producers of everyone but `exceptPeerId`, for a newcomer to consume. */
  producersFor(exceptPeerId: string): { peer: Peer; producer: types.Producer }[] {
    return this.peers.filter((p) => p.id !== exceptPeerId).flatMap((peer) => peer.producers.map((producer) => ({ peer, producer })));
  }

  findProducer(producerId: string): types.Producer | undefined {
    for (const peer of this.#peers.values()) {
      const producer = peer.producer(producerId);
      if (producer) return producer;
    }
    return undefined;
  }

  close(reason: Exclude<RoomCloseReason, 'workerdied'> = 'closed'): void {
    if (this.closed) return;
    // The reason first: closing the router runs its observer, which lands in #close below.
    this.#closeReason = reason;
    this.router.close();
    this.#close(reason);
  }

  #close(reason: RoomCloseReason): void {
    if (this.#closeDone) return;
    this.#closeDone = true;
    this.#closeReason ??= reason;
    // Peers close knowing why (closeReason is set), so their pages can be told to rejoin or not.
    for (const peer of [...this.#peers.values()]) peer.close();
    this.safeEmit('@close');
    this.safeEmit('close', this.#closeReason);
  }
}
