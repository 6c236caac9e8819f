import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';

/**
 * Pairs this process has handed out and whose ffmpeg has not bound them yet: the kernel would
 * happily give the same free port to two outputs starting at once.
 */
const reserved = new Set<number>();

function bindOnce(port: number, host: string): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind({ port, address: host, exclusive: true }, () => resolve(socket));
  });
}

/**
 * `count` even ports P whose P+1 is free too, for ffmpeg's SDP input: ffmpeg receives RTP on the
 * port the SDP names and RTCP on the next one (it does not read `a=rtcp:`). The ports are free
 * when returned; call `release` once ffmpeg has bound them (or failed to).
 */
export async function reserveUdpPortPairs(count: number, host = '127.0.0.1'): Promise<{ ports: number[]; release: () => void }> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > 200) throw new Error('no free UDP port pair on ' + host);
    const first = await bindOnce(0, host);
    if (!first) continue;
    const port = first.address().port;
    const second = port % 2 === 0 && port < 65535 && !reserved.has(port) ? await bindOnce(port + 1, host) : null;
    first.close();
    if (!second) continue;
    second.close();
    reserved.add(port);
    ports.push(port);
  }
  return { ports, release: () => ports.forEach((p) => reserved.delete(p)) };
}

function procPattern(port: number): string {
  return ':' + port.toString(16).toUpperCase().padStart(4, '0') + ' ';
}

/**
 * Resolves once something listens on every port (ffmpeg opens its RTP/RTCP sockets only after it
 * parsed the SDP; packets sent before that are lost). Linux shows bound UDP sockets in
 * /proc/net/udp; elsewhere a fixed wait stands in. Rejects if `abort()` turns true or on timeout.
 */
export async function waitForUdpListeners(ports: number[], { timeoutMs = 5000, abort = () => false }: { timeoutMs?: number; abort?: () => boolean } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const patterns = ports.map(procPattern);
  for (;;) {
    if (abort()) throw new Error('the process exited before it listened');
    let table: string;
    try {
      table = await readFile('/proc/net/udp', 'utf8');
    } catch {
      await new Promise((r) => setTimeout(r, 500));
      return;
    }
    const local = table
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[1] ?? '')
      .join(' ') + ' ';
    if (patterns.every((p) => local.includes(p))) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on UDP ${ports.join(', ')} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
