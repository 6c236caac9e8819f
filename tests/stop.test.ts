// Stopping `npm start` every way people and service managers do: Ctrl-C in a terminal (SIGINT to
// the foreground process group), `kill -INT` / `kill -TERM` of npm, of the launcher, of the
// launcher's process group, and SIGKILL of the launcher. Each time every process of the product
// ends within 5 s (the ports it listened on, embedded PostgreSQL's included, are free again) and
// nothing is printed as an error.
import { spawn } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { listeners } from './support/ports.ts';
import { productEnv, repoRoot } from './support/product.ts';

/** Every process descended from `root`, from /proc. */
async function descendants(root: number): Promise<{ pid: number; cmdline: string }[]> {
  const parents = new Map<number, number>();
  const cmdlines = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …; comm may hold spaces, so read after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(entry), ppid);
    cmdlines.set(Number(entry), (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' '));
  }
  const found: { pid: number; cmdline: string }[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push({ pid: child, cmdline: cmdlines.get(child) ?? '' });
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

type Target = 'npm' | 'npm group' | 'launcher' | 'launcher group';

async function runAndStop(target: Target, signal: NodeJS.Signals) {
  const { env, dataDir, ports } = await productEnv({ LOG_LEVEL: 'info' });
  // Detached: npm leads a process group of its own, as in a terminal.
  const npm = spawn('npm', ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  npm.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const npmExited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  try {
    await expect.poll(() => output, { timeout: 120_000, interval: 200 }).toContain('Rehearse is running');
    const tree = await descendants(npm.pid!);
    const launcher = tree.find((p) => p.cmdline.includes('deploy/local/start.ts'))!;
    expect(launcher, JSON.stringify(tree)).toBeDefined();
    const listening = await listeners();
    const ourPorts = ports.filter((port) => listening.has(port));
    expect(ourPorts).toHaveLength(4); // web, API, media, PostgreSQL
    const pids = tree.map((p) => p.pid);

    const victim = { npm: npm.pid!, 'npm group': -npm.pid!, launcher: launcher.pid, 'launcher group': -launcher.pid }[target];
    const sentAt = Date.now();
    process.kill(victim, signal);
    await expect.poll(async () => {
      const now = await listeners();
      return ourPorts.filter((port) => now.has(port));
    }, { timeout: 5_000, interval: 100 }).toEqual([]);
    await expect.poll(() => pids.filter(alive), { timeout: 5_000 - (Date.now() - sentAt), interval: 100 }).toEqual([]);
    if (target === 'npm' || target === 'npm group') await npmExited;
    expect(output).not.toMatch(/error|unexpectedly|workerdied/i);
  } finally {
    if (npm.exitCode === null) {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('stopping npm start', () => {
  it.each([
    ['npm group', 'SIGINT'], // Ctrl-C in a terminal
    ['npm', 'SIGINT'],
    ['npm', 'SIGTERM'],
    ['launcher', 'SIGINT'],
    ['launcher group', 'SIGTERM'],
    ['launcher', 'SIGKILL'],
  ] as const)('a %s %s ends every process within 5 s, quietly', { timeout: 180_000 }, async (target, signal) => {
    await runAndStop(target, signal);
  });
});
