import type { Logger } from '@rehearse/core/logger';
import type { WebRtcTransportSettings } from './Peer.ts';
import { Room } from './Room.ts';
import type { WorkerPool } from './WorkerPool.ts';

/**
 * The rooms this media server hosts, created on first join on the least-loaded worker, and closed
 * once nobody has been in them for `emptyRoomTimeoutMs` (a page that reconnects comes back sooner).
 */
export class RoomRegistry {
  readonly #pool: WorkerPool;
  readonly #emptyRoomTimeoutMs: number;
  readonly #transportSettings: WebRtcTransportSettings;
  readonly #log: Logger | undefined;
  readonly #rooms = new Map<string, Room>();
  readonly #creating = new Map<string, Promise<Room>>();

  constructor({ pool, transportSettings, log, emptyRoomTimeoutMs = 20_000 }: { pool: WorkerPool; transportSettings: WebRtcTransportSettings; log?: Logger; emptyRoomTimeoutMs?: number }) {
    this.#pool = pool;
    this.#emptyRoomTimeoutMs = emptyRoomTimeoutMs;
    this.#transportSettings = transportSettings;
    this.#log = log;
  }

  get size(): number {
    return this.#rooms.size;
  }

  /** Participants connected across every room. */
  get peers(): number {
    let count = 0;
    for (const room of this.#rooms.values()) count += room.peers.length;
    return count;
  }

  get(roomId: string): Room | undefined {
    return this.#rooms.get(roomId);
  }

  /** Two peers joining at once must end up in one room, so creation is shared. */
  async getOrCreate(roomId: string): Promise<Room> {
    const existing = this.#rooms.get(roomId);
    if (existing && !existing.closed) return existing;
    let pending = this.#creating.get(roomId);
    if (!pending) {
      pending = Room.create({ id: roomId, worker: this.#pool.leastLoaded(), transportSettings: this.#transportSettings }).then((room) => {
        this.#rooms.set(roomId, room);
        room.once('@close', () => {
          if (this.#rooms.get(roomId) === room) this.#rooms.delete(roomId);
        });
        room.once('close', (reason) => this.#log?.info({ roomId, reason }, 'room closed'));
        this.#closeWhenEmpty(room);
        return room;
      });
      this.#creating.set(roomId, pending);
      void pending.finally(() => this.#creating.delete(roomId)).catch(() => {});
    }
    return pending;
  }

  #closeWhenEmpty(room: Room): void {
    let timer: NodeJS.Timeout | null = null;
    const schedule = () => {
      if (timer || room.peers.length > 0) return;
      timer = setTimeout(() => {
        timer = null;
        if (room.peers.length === 0) room.close();
      }, this.#emptyRoomTimeoutMs);
    };
    room.on('peerleft', schedule);
    room.on('peerjoined', () => {
      if (timer) clearTimeout(timer);
      timer = null;
    });
    room.once('@close', () => {
      if (timer) clearTimeout(timer);
    });
    // A room created for a join that then failed (a bad token is checked before, a full room after) is empty too.
    queueMicrotask(schedule);
  }

  closeAll(): void {
    for (const room of [...this.#rooms.values()]) room.close();
  }
}
