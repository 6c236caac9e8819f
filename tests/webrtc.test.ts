// The SFU's foundation, end to end with real parts: the mediasoup worker built by scripts/setup,
// Debian's Chromium with a fake camera and microphone, and mediasoup-client in the page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { types as clientTypes } from 'mediasoup-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaCodecs } from '@rehearse/media';
import { launchChromium } from './support/browser.ts';
import { bundleForBrowser } from './support/bundle.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// mediasoup and mediasoup-client describe the same JSON with separately declared types.
function transportInfo(t: types.WebRtcTransport) {
  return { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters } as unknown as {
    id: string;
    iceParameters: clientTypes.IceParameters;
    iceCandidates: clientTypes.IceCandidate[];
    dtlsParameters: clientTypes.DtlsParameters;
  };
}

describe('mediasoup worker with Chromium', () => {
  let browser: Browser;
  let pageServer: http.Server;
  let pageUrl: string;

  beforeAll(async () => {
    expect(process.env.MEDIASOUP_WORKER_BIN, 'run through npm test, which provides the worker').toBeTruthy();
    const [launched, clientScript] = await Promise.all([launchChromium(), bundleForBrowser(path.join(here, 'fixtures/webrtc-client.ts'))]);
    browser = launched;
    // getUserMedia needs a secure context: an http://localhost page is one, about:blank is not.
    const html = `<!doctype html><title>webrtc</title><script>${clientScript}</script>`;
    pageServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://localhost:${(pageServer.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await browser?.close();
    pageServer?.close();
  });

  for (const videoCodec of ['video/VP8', 'video/H264'] as const) {
    it(`completes ICE + DTLS + SRTP and carries Opus + ${videoCodec} both ways, then closes cleanly`, async () => {
      const worker = await mediasoup.createWorker({ workerBin: process.env.MEDIASOUP_WORKER_BIN, logLevel: 'warn' });
      const router = await worker.createRouter({ mediaCodecs });
      expect(router.rtpCapabilities.codecs!.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));

      const listenInfos: types.TransportListenInfo[] = [
        { protocol: 'udp', ip: '127.0.0.1' },
        { protocol: 'tcp', ip: '127.0.0.1' },
      ];
      const send = await router.createWebRtcTransport({ listenInfos, enableUdp: true, enableTcp: true, preferUdp: true });
      const recv = await router.createWebRtcTransport({ listenInfos, enableUdp: true, enableTcp: true, preferUdp: true });
      const transports = new Map([send, recv].map((t) => [t.id, t]));
      const producers: types.Producer[] = [];
      const closed: string[] = [];
      router.observer.on('close', () => closed.push('router'));
      send.observer.on('close', () => closed.push('send transport'));

      const page: Page = await browser.newPage();
      page.on('pageerror', (error) => console.error('page error:', error));
      await page.exposeFunction('serverConnect', (id: string, dtlsParameters: types.DtlsParameters) => transports.get(id)!.connect({ dtlsParameters }));
      await page.exposeFunction('serverProduce', async (id: string, kind: types.MediaKind, rtpParameters: types.RtpParameters) => {
        const producer = await transports.get(id)!.produce({ kind, rtpParameters });
        producers.push(producer);
        return producer.id;
      });
      await page.goto(pageUrl);

      const recvCaps = (await page.evaluate((caps) => window.webrtcClient.load(caps), router.rtpCapabilities as clientTypes.RtpCapabilities)) as types.RtpCapabilities;
      await page.evaluate(([s, codec]) => window.webrtcClient.produce(s, codec), [transportInfo(send), videoCodec] as const);

      // ICE and DTLS completed on the server side; the browser's media arrives (SRTP decrypts).
      await waitFor('DTLS connected', () => (send.dtlsState === 'connected' ? true : undefined));
      expect(['connected', 'completed']).toContain(send.iceState);
      expect(send.iceSelectedTuple?.localAddress).toBe('127.0.0.1');
      expect(producers.map((p) => p.kind).sort()).toEqual(['audio', 'video']);
      expect(producers.find((p) => p.kind === 'video')!.rtpParameters.codecs[0]!.mimeType).toBe(videoCodec);
      for (const producer of producers) {
        await waitFor(`${producer.kind} bytes at the SFU`, async () => ((await producer.getStats())[0]?.byteCount ?? 0) > 2000 || undefined);
      }

      // And back out to the browser through a second transport.
      const consumers = await Promise.all(producers.map((p) => recv.consume({ producerId: p.id, rtpCapabilities: recvCaps, paused: true })));
      await page.evaluate(
        ([r, infos]) => window.webrtcClient.consume(r, infos),
        [transportInfo(recv), consumers.map((c) => ({ id: c.id, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters as clientTypes.RtpParameters }))] as const,
      );
      await Promise.all(consumers.map((c) => c.resume()));
      const received = await waitFor('media back in the browser', async () => {
        const bytes = await page.evaluate(() => window.webrtcClient.received());
        return (bytes.audio ?? 0) > 1000 && (bytes.video ?? 0) > 5000 ? bytes : undefined;
      });
      expect(received.audio).toBeGreaterThan(1000);

      await page.close();
      worker.close();
      expect(worker.closed).toBe(true);
      expect(router.closed && send.closed && recv.closed).toBe(true);
      expect(producers.every((p) => p.closed) && consumers.every((c) => c.closed)).toBe(true);
      expect(closed).toEqual(expect.arrayContaining(['router', 'send transport']));
    });
  }
});
