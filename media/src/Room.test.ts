import { afterEach, describe, expect, it } from 'vitest';
import { InvalidStateError } from '@rehearse/core/errors';
import { RoomRegistry } from './RoomRegistry.ts';
import { WorkerPool } from './WorkerPool.ts';

const transportSettings = { listenInfos: [{ protocol: 'udp' as const, ip: '127.0.0.1' }] };

describe('Room and Peer lifecycle', () => {
  let pool: WorkerPool | undefined;
  afterEach(() => pool?.close());

  it('closing a room closes its peers and their transports, and says so', async () => {
    pool = await WorkerPool.create({ workerBin: process.env.MEDIASOUP_WORKER_BIN, numWorkers: 1 });
    const rooms = new RoomRegistry({ pool, transportSettings });
    const room = await rooms.getOrCreate('room-1');
    expect(await rooms.getOrCreate('room-1')).toBe(room);

    const events: string[] = [];
    room.on('peerjoined', (p) => events.push(`joined ${p.role}`));
    room.on('peerleft', (p) => events.push(`left ${p.role}`));
    room.on('close', (reason) => events.push(`close ${reason}`));
    const candidate = room.join({ userId: 'u1', role: 'candidate' });
    const mentor = room.join({ userId: 'u2', role: 'mentor' });
    const send = await candidate.createWebRtcTransport('send');
    const recv = await mentor.createWebRtcTransport('recv');
    expect(room.peers).toHaveLength(2);

    room.close();
    room.close();
    expect([room.closed, candidate.closed, mentor.closed, send.closed, recv.closed, room.router.closed]).toEqual([true, true, true, true, true, true]);
    expect(events).toEqual(['joined candidate', 'joined mentor', 'left candidate', 'left mentor', 'close closed']);
    expect(rooms.get('room-1')).toBeUndefined();
    expect(() => room.join({ userId: 'u3', role: 'mentor' })).toThrow(InvalidStateError);
    await expect(candidate.createWebRtcTransport('send')).rejects.toThrow(InvalidStateError);
  });

  it('a peer that leaves is dropped from the room; a user joining again replaces their old peer', async () => {
    pool = await WorkerPool.create({ workerBin: process.env.MEDIASOUP_WORKER_BIN, numWorkers: 1 });
    const rooms = new RoomRegistry({ pool, transportSettings });
    const room = await rooms.getOrCreate('room-2');
    const first = room.join({ userId: 'u1', role: 'candidate' });
    const transport = await first.createWebRtcTransport('send');
    const second = room.join({ userId: 'u1', role: 'candidate' });
    expect(first.closed && transport.closed).toBe(true);
    expect(room.peers).toEqual([second]);
    second.close();
    expect(room.peers).toEqual([]);
    expect(room.closed).toBe(false);
  });

  it('a dead worker closes its rooms with reason workerdied, and new rooms go to the replacement', async () => {
    pool = await WorkerPool.create({ workerBin: process.env.MEDIASOUP_WORKER_BIN, numWorkers: 1 });
    const rooms = new RoomRegistry({ pool, transportSettings });
    const room = await rooms.getOrCreate('room-3');
    const peer = room.join({ userId: 'u1', role: 'candidate' });
    const closed = new Promise<string>((resolve) => room.once('close', resolve));
    const replaced = new Promise((resolve) => pool!.once('workerreplaced', resolve));
    process.kill(pool.workers[0]!.pid, 'SIGKILL');
    expect(await closed).toBe('workerdied');
    expect(peer.closed).toBe(true);
    await replaced;
    const again = await rooms.getOrCreate('room-3');
    expect(again).not.toBe(room);
    expect(again.closed).toBe(false);
  });
});
