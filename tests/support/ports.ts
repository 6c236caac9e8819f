import net from 'node:net';

/** A TCP port that was free a moment ago, for servers that must be told their port up front. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every listening TCP port on this machine and the process that listens (from /proc, Linux only). */
export async function listeners(): Promise<Map<number, number>> {
  const { readFile, readdir, readlink } = await import('node:fs/promises');
  const portOfInode = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the socket's inode.
      if (fields[3] === '0A' && fields[1] && fields[9]) portOfInode.set(fields[9], parseInt(fields[1].split(':').at(-1)!, 16));
    }
  }
  const result = new Map<number, number>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const inode = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))?.[1];
      const port = inode && portOfInode.get(inode);
      if (port) result.set(port, Number(pid));
    }
  }
  return result;
}

/** The process listening on a TCP port, or null: how a test finds a server to kill. */
export async function pidListeningOn(port: number): Promise<number | null> {
  return (await listeners()).get(port) ?? null;
}

/** `count` consecutive TCP ports that were all free a moment ago (the launcher's METRICS_PORT range). */
export async function freePortRange(count: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await free(base + i);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
