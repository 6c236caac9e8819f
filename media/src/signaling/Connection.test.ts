// The signaling server against a real mediasoup worker, spoken to over a real WebSocket.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@rehearse/core/logger';
import { signMediaToken, type JoinClaims } from '@rehearse/core/media-token';
import { AnswerSessions } from '../answers/AnswerSessions.ts';
import { RoomRegistry } from '../RoomRegistry.ts';
import { WorkerPool } from '../WorkerPool.ts';
import { PEER_LIMITS } from '../Peer.ts';
import { MAX_PEERS_PER_ROOM } from '../Room.ts';
import { CLOSE_CODES, MAX_MESSAGE_BYTES } from '@rehearse/protocol/signaling';
import { signalingRoutes } from './routes.ts';
import type { SignalingServices } from './context.ts';
import { UsedTokens } from './UsedTokens.ts';

const SECRET = 'signaling-test-secret-0123456789abcdef';
const MEDIA_URL = 'ws://media.test/signaling';
const ORIGIN = 'http://localhost:3000';

interface Reply {
  id: number | null;
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** A page's side of the protocol: numbered requests, replies matched by id, notifications kept. */
class TestClient {
  readonly socket: WebSocket;
  readonly replies: Reply[] = [];
  readonly notifications: { notification: string; data: unknown }[] = [];
  #nextId = 1;
  #waiters = new Map<number | null, ((r: Reply) => void)[]>();

  static async open(url: string, origin = ORIGIN): Promise<TestClient> {
    const client = new TestClient(new WebSocket(url, { origin }));
    await new Promise((resolve, reject) => client.socket.once('open', resolve).once('error', reject));
    return client;
  }

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if ('notification' in message) return void this.notifications.push(message);
      this.replies.push(message);
      const queue = this.#waiters.get(message.id);
      queue?.shift()?.(message);
    });
  }

  next(id: number | null): Promise<Reply> {
    return new Promise((resolve) => {
      const queue = this.#waiters.get(id) ?? [];
      queue.push(resolve);
      this.#waiters.set(id, queue);
    });
  }

  request(method: string, data: unknown): Promise<Reply> {
    const id = this.#nextId++;
    const reply = this.next(id);
    this.socket.send(JSON.stringify({ id, method, data }));
    return reply;
  }

  raw(payload: string | Buffer): Promise<Reply> {
    const reply = this.next(null);
    this.socket.send(payload);
    return reply;
  }

  closed(): Promise<number> {
    return new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
  }
}

describe('signaling', () => {
  let pool: WorkerPool;
  let rooms: RoomRegistry;
  let services: SignalingServices;
  /** Shorter than the server's, so the test of it is quick; the fuzz test lengthens it. */
  const JOIN_TIMEOUT_MS = 2000;
  let app: FastifyInstance;
  let url: string;
  const token = (overrides: Partial<JoinClaims> = {}, ttlSeconds?: number) =>
    signMediaToken({ purpose: 'join', userId: 'user-1', roomId: 'room-1', role: 'candidate', answerId: null, mediaUrl: MEDIA_URL, ...overrides }, SECRET, { ttlSeconds });

  beforeAll(async () => {
    pool = await WorkerPool.create({ workerBin: process.env.MEDIASOUP_WORKER_BIN, numWorkers: 1 });
    const log = createLogger('media', { env: 'test', logLevel: 'silent' });
    rooms = new RoomRegistry({ pool, transportSettings: { listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] }, emptyRoomTimeoutMs: 200 });
    // Tokens here name no answer, so the answer sessions are never asked to record.
    const answers = new AnswerSessions({ db: null as never, s3: null as never, bucket: 'unused', spoolRoot: '/nonexistent', ffmpegPath: 'ffmpeg', log });
    services = { rooms, answers, tokenSecret: SECRET, usedTokens: new UsedTokens(), joinTimeoutMs: JOIN_TIMEOUT_MS, mediaUrl: MEDIA_URL, iceServers: [], log };
    app = Fastify();
    await app.register(websocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
    await app.register(signalingRoutes, { allowedOrigin: ORIGIN, services });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/signaling`;
  });

  afterAll(async () => {
    await app?.close();
    pool?.close();
  });

  it('joins with a token, creates a transport and refuses an unsupported codec', async () => {
    const client = await TestClient.open(url);
    const joined = await client.request('join', { token: await token() });
    expect(joined.ok).toBe(true);
    expect(joined.data).toMatchObject({ roomId: 'room-1', role: 'candidate', peers: [], producers: [], recording: null });
    expect((joined.data!.routerRtpCapabilities as { codecs: { mimeType: string }[] }).codecs.map((c) => c.mimeType)).toContain('video/VP8');

    const transport = await client.request('createWebRtcTransport', { direction: 'send' });
    expect(transport.ok).toBe(true);
    expect((transport.data!.iceCandidates as unknown[]).length).toBeGreaterThan(0);
    const transportId = transport.data!.id as string;

    const vp9 = await client.request('produce', { transportId, kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP9', payloadType: 98, clockRate: 90000 }], encodings: [{ ssrc: 1111 }] } });
    expect(vp9.error?.code).toBe('UNSUPPORTED_CODEC');
    const nonsense = await client.request('produce', { transportId, kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 'x' }] } });
    expect(nonsense.ok).toBe(false);
    expect(['INVALID_PARAMS', 'FAILED']).toContain(nonsense.error!.code);
    const elsewhere = await client.request('connectWebRtcTransport', { transportId: 'not-mine', dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] } });
    expect(elsewhere.error?.code).toBe('NOT_FOUND');
    expect((await client.request('join', { token: await token() })).error?.code).toBe('ALREADY_JOINED');
    client.socket.close();
  });

  it('answers every kind of bad message with a stable code and stays up', async () => {
    const client = await TestClient.open(url);
    expect((await client.raw('{not json')).error?.code).toBe('BAD_JSON');
    expect((await client.raw('[1,2]')).error?.code).toBe('BAD_MESSAGE');
    expect((await client.raw(JSON.stringify({ method: 'join', data: {} }))).error?.code).toBe('BAD_MESSAGE');
    expect((await client.raw(Buffer.from([1, 2, 3]))).error?.code).toBe('BAD_MESSAGE');
    expect((await client.request('teleport', {})).error?.code).toBe('UNKNOWN_METHOD');
    expect((await client.request('__proto__', {})).error?.code).toBe('UNKNOWN_METHOD');
    const invalid = await client.request('createWebRtcTransport', { direction: 'sideways' });
    expect(invalid.error).toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('/direction') });
    expect((await client.request('createWebRtcTransport', { direction: 'send' })).error?.code).toBe('NOT_JOINED');
    expect((await client.request('join', { token: await token({}, -5) })).error?.code).toBe('TOKEN_EXPIRED');
    expect((await client.request('join', { token: (await token()).slice(0, -3) + 'abc' })).error?.code).toBe('TOKEN_INVALID');
    expect((await client.request('join', { token: await token({ mediaUrl: 'ws://other-node/signaling' }) })).error?.code).toBe('WRONG_MEDIA_SERVER');
    expect((await client.request('join', { token: await token({ roomId: 'room-2' }) })).ok).toBe(true);

    const closed = client.closed();
    client.socket.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
  });

  it('refuses pages from another origin and rate-limits floods', async () => {
    const foreign = await TestClient.open(url, 'https://evil.example');
    expect(await foreign.closed()).toBe(1008);

    const client = await TestClient.open(url);
    // Refused before parsing (that is the point of a limit), so these replies carry no id.
    for (let i = 0; i < 300; i++) client.socket.send(JSON.stringify({ id: i + 1, method: 'leave', data: {} }));
    await expect.poll(() => client.replies.length).toBe(300);
    const limited = client.replies.filter((r) => r.error?.code === 'RATE_LIMITED').length;
    expect(limited).toBeGreaterThan(150);
    expect(client.replies.filter((r) => r.error?.code === 'NOT_JOINED').length).toBeGreaterThanOrEqual(100);
    client.socket.close();
  });

  const opusParameters = (ssrc: number) => ({ codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }], encodings: [{ ssrc }] });

  it('accepts a join token once: a replay neither joins nor pushes out the page that used it', async () => {
    const first = await TestClient.open(url);
    const shared = await token({ userId: 'user-replay', roomId: 'room-replay' });
    expect((await first.request('join', { token: shared })).ok).toBe(true);
    const thief = await TestClient.open(url);
    expect((await thief.request('join', { token: shared })).error?.code).toBe('TOKEN_USED');
    // The first page is still in, untouched.
    expect((await first.request('createWebRtcTransport', { direction: 'send' })).ok).toBe(true);
    expect(first.notifications).toEqual([]);
    // A fresh token of the same user does replace it (a reconnect): the stale socket is closed.
    const staleClosed = first.closed();
    const again = await TestClient.open(url);
    expect((await again.request('join', { token: await token({ userId: 'user-replay', roomId: 'room-replay' }) })).ok).toBe(true);
    expect(await staleClosed).toBe(CLOSE_CODES.replaced);
    for (const c of [thief, again]) c.socket.close();
  });

  it('closes sockets that do not join in time, and after they leave', async () => {
    const idle = await TestClient.open(url);
    expect(await idle.closed()).toBe(CLOSE_CODES.joinTimeout);
    const leaver = await TestClient.open(url);
    expect((await leaver.request('join', { token: await token({ userId: 'user-leaver', roomId: 'room-leaver' }) })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, JOIN_TIMEOUT_MS + 300));
    expect(leaver.socket.readyState).toBe(WebSocket.OPEN);
    const closed = leaver.closed();
    expect((await leaver.request('leave', {})).ok).toBe(true);
    expect(await closed).toBe(CLOSE_CODES.joinTimeout);
  });

  it('caps transports, producers and consumers per peer, also for requests sent all at once', async () => {
    const client = await TestClient.open(url);
    expect((await client.request('join', { token: await token({ userId: 'user-caps', roomId: 'room-caps' }) })).ok).toBe(true);
    const burst = await Promise.all(Array.from({ length: 10 }, () => client.request('createWebRtcTransport', { direction: 'send' })));
    expect(burst.filter((r) => r.ok)).toHaveLength(PEER_LIMITS.transports);
    expect(burst.filter((r) => r.error?.code === 'LIMIT_REACHED')).toHaveLength(10 - PEER_LIMITS.transports);
    const transportId = burst.find((r) => r.ok)!.data!.id as string;
    const produced = await Promise.all(Array.from({ length: 8 }, (_, i) => client.request('produce', { transportId, kind: 'audio', rtpParameters: opusParameters(5000 + i) })));
    expect(produced.filter((r) => r.ok)).toHaveLength(PEER_LIMITS.producers);
    expect(produced.filter((r) => r.error?.code === 'LIMIT_REACHED')).toHaveLength(8 - PEER_LIMITS.producers);
    // Closing one makes room for one more.
    const producerId = produced.find((r) => r.ok)!.data!.producerId as string;
    expect((await client.request('closeProducer', { producerId })).ok).toBe(true);
    expect((await client.request('produce', { transportId, kind: 'audio', rtpParameters: opusParameters(6000) })).ok).toBe(true);

    const viewer = await TestClient.open(url);
    const joined = await viewer.request('join', { token: await token({ userId: 'user-viewer', roomId: 'room-caps', role: 'mentor' }) });
    const recv = (await viewer.request('createWebRtcTransport', { direction: 'recv' })).data!.id as string;
    const target = (joined.data!.producers as { producerId: string }[])[0]!.producerId;
    const rtpCapabilities = joined.data!.routerRtpCapabilities;
    const consumed = await Promise.all(Array.from({ length: 12 }, () => viewer.request('consume', { transportId: recv, producerId: target, rtpCapabilities })));
    expect(consumed.filter((r) => r.ok)).toHaveLength(PEER_LIMITS.consumers);
    expect(consumed.filter((r) => r.error?.code === 'LIMIT_REACHED')).toHaveLength(12 - PEER_LIMITS.consumers);

    // A room holds a candidate and a mentor; a third participant is refused.
    expect(MAX_PEERS_PER_ROOM).toBe(2);
    const third = await TestClient.open(url);
    expect((await third.request('join', { token: await token({ userId: 'user-third', roomId: 'room-caps' }) })).error?.code).toBe('LIMIT_REACHED');
    for (const c of [client, viewer, third]) c.socket.close();
  });

  it('closes rooms once they are empty: 300 sockets that join and go leave no room behind', async () => {
    // Rooms of the tests before close once their sockets are gone, too.
    await expect.poll(() => rooms.size, { timeout: 5000 }).toBe(0);
    for (let batch = 0; batch < 10; batch++) {
      const clients = await Promise.all(Array.from({ length: 30 }, () => TestClient.open(url)));
      const joins = await Promise.all(clients.map(async (c, i) => c.request('join', { token: await token({ userId: `user-flood-${batch}-${i}`, roomId: `room-flood-${batch}-${i}` }) })));
      expect(joins.every((j) => j.ok)).toBe(true);
      for (const c of clients) c.socket.close();
    }
    expect(rooms.size).toBeGreaterThan(0);
    await expect.poll(() => rooms.size, { timeout: 5000 }).toBe(0);
  });

  it('survives thousands of random messages while another peer works normally', async () => {
    const victim = await TestClient.open(url);
    expect((await victim.request('join', { token: await token({ userId: 'user-2', roomId: 'room-fuzz' }) })).ok).toBe(true);
    // 20 connections each under the rate limit, so every message reaches validation; they never
    // join, so the join timeout must outlast the test.
    services.joinTimeoutMs = 60_000;
    const fuzzers = await Promise.all(Array.from({ length: 20 }, () => TestClient.open(url)));
    const methods = ['join', 'createWebRtcTransport', 'connectWebRtcTransport', 'produce', 'consume', 'restartIce', 'leave', 'resumeConsumer', 'nope'];
    const values = [null, 0, -1, 1e308, '', 'x'.repeat(300), [], {}, { token: 'a.b.c' }, { direction: 'send' }, { transportId: 'x', dtlsParameters: { fingerprints: [] } }, true];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(list: T[]) => list[Math.floor(random() * list.length)]!;
    let sent = 0;
    let victimTransport: string | undefined;
    for (let round = 0; round < 50; round++) {
      for (const fuzzer of fuzzers) {
        for (let i = 0; i < 2; i++) {
          const shape = random();
          const payload =
            shape < 0.3
              ? JSON.stringify({ id: Math.floor(random() * 1e6), method: pick(methods), data: pick(values) })
              : shape < 0.5
                ? JSON.stringify(pick(values))
                : shape < 0.7
                  ? JSON.stringify({ id: pick(values), method: pick(values), data: { token: pick(values), rtpParameters: pick(values) } })
                  : Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))).toString('latin1');
          fuzzer.socket.send(payload);
          sent++;
        }
      }
      // The victim keeps working between bursts.
      victimTransport ??= (await victim.request('createWebRtcTransport', { direction: 'send' })).data!.id as string;
      expect((await victim.request('restartIce', { transportId: victimTransport })).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(sent).toBe(2000);
    await new Promise((r) => setTimeout(r, 300));
    const answered = fuzzers.reduce((n, f) => n + f.replies.length, 0);
    expect(answered).toBe(sent);
    expect(fuzzers.flatMap((f) => f.replies).filter((r) => r.error?.code === 'RATE_LIMITED')).toHaveLength(0);
    expect(fuzzers.flatMap((f) => f.replies).every((r) => r.ok === false || typeof r.data === 'object')).toBe(true);
    expect(pool.stats().alive).toBe(1);
    for (const f of [victim, ...fuzzers]) f.socket.close();
    services.joinTimeoutMs = JOIN_TIMEOUT_MS;
  });

  // Last: it kills the worker (the pool replaces it).
  it('tells joined pages to rejoin when the worker hosting their room dies', async () => {
    const client = await TestClient.open(url);
    expect((await client.request('join', { token: await token({ userId: 'user-worker', roomId: 'room-worker' }) })).ok).toBe(true);
    const closed = client.closed();
    process.kill(pool.workers[0]!.pid, 'SIGKILL');
    expect(await closed).toBe(CLOSE_CODES.rejoin);
    expect(client.notifications).toContainEqual({ notification: 'rejoin', data: { reason: 'the media worker hosting this room stopped' } });
  });
});
