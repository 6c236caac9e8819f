import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whole-machine CPU use between creation and the call, in cores (from /proc/stat). */
export function cpuSampler(): { busyCores(): number } {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + fields[4]!;
    const total = fields.reduce((a, b) => a + b, 0);
    return { idle, total };
  };
  const start = read();
  const started = performance.now();
  return {
    busyCores() {
      const end = read();
      const busyTicks = end.total - start.total - (end.idle - start.idle);
      const ticksPerSecond = 100;
      return busyTicks / ticksPerSecond / ((performance.now() - started) / 1000);
    },
  };
}

/** One process's CPU use (user + system, from /proc/<pid>/stat) between creation and the call, in cores. */
export function processCpuSampler(pid: number): { busyCores(): number } {
  const read = () => {
    // Fields after the command (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const start = read();
  const started = performance.now();
  return {
    busyCores() {
      return (read() - start) / 100 / ((performance.now() - started) / 1000);
    },
  };
}

/**
 * CPU use of every process in the process groups `pgids` (each media node child leads one: its
 * mediasoup workers and ffmpegs are in it), leaving out `exclude` (e.g. its simulated browsers),
 * between creation and the call, in cores: the nodes' own share, whatever else runs on the machine.
 * A process that starts in between counts whole; one that ends in between is not counted.
 */
export function processGroupCpuSampler(pgids: number[], exclude: Set<number> = new Set()): { busyCores(): number } {
  const groups = new Set(pgids);
  const read = () => {
    const ticks = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || exclude.has(Number(entry))) continue;
      try {
        // After the command: state, ppid, pgrp, … utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
        if (groups.has(Number(fields[2]))) ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
      } catch {
        // The process ended while /proc was read.
      }
    }
    return ticks;
  };
  const start = read();
  const started = performance.now();
  return {
    busyCores() {
      let busy = 0;
      for (const [pid, ticks] of read()) busy += ticks - (start.get(pid) ?? 0);
      return busy / 100 / ((performance.now() - started) / 1000);
    },
  };
}

/**
 * Proportional memory (PSS: shared pages split among the processes sharing them, so ffmpeg's
 * libraries are not counted once per process) of this process and every process below it
 * (mediasoup workers, ffmpeg), leaving out `exclude` and their children, in bytes.
 */
export async function processTreePssBytes({ root = process.pid, exclude = new Set<number>() }: { root?: number; exclude?: Set<number> } = {}): Promise<number> {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (exclude.has(pid)) continue;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // The process ended between ps and the read.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n') + '\n';
}
