// The parent's handle on one media node child (nodeChild.ts): a process of its own, in its own
// process group (spawned detached) so a benchmark can kill -9 it with everything below it
// (mediasoup workers, ffmpeg, its simulated browsers) the way a machine dies.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { RecordingResult } from '@rehearse/media';

/** What the child is started with (argv[2], JSON). */
export interface NodeChildConfig {
  id: string;
  publicUrl: string;
  databaseUrl: string;
  s3Endpoint: string;
  bucket: string;
  spoolRoot: string;
  /** The clip its simulated browsers replay. */
  clip: string;
  numWorkers: number;
  capacity: number;
}

/** What the parent asks. */
export type ToNode =
  | { type: 'start'; answers: { answerId: string; userId: string }[] }
  | { type: 'stop' }
  | { type: 'exit' };

/** What the child answers (and reports on its own: a takeover). */
export type FromNode =
  | { type: 'ready'; replayPid: number }
  | { type: 'started'; started: { answerId: string; at: number }[]; failed: number }
  | { type: 'stopped'; results: RecordingResult[]; stopTimes: number[] }
  | { type: 'tookOver'; publicUrl: string; count: number; startedAt: number; endedAt: number };

export class NodeProcess {
  readonly config: NodeChildConfig;
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;
  replayPid = 0;
  readonly tookOver: Extract<FromNode, { type: 'tookOver' }>[] = [];

  static async start(config: NodeChildConfig): Promise<NodeProcess> {
    const child = fork(path.join(import.meta.dirname, 'nodeChild.ts'), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    const node = new NodeProcess(child, config);
    try {
      node.replayPid = (await node.next('ready')).replayPid;
    } catch (error) {
      node.kill();
      throw error;
    }
    return node;
  }

  private constructor(child: ChildProcess, config: NodeChildConfig) {
    this.#child = child;
    this.config = config;
    this.#exited = once(child, 'exit');
    child.on('message', (message: FromNode) => {
      if (message.type === 'tookOver') this.tookOver.push(message);
    });
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The next message of `type`; rejects if the child exits first. */
  next<T extends FromNode['type']>(type: T): Promise<Extract<FromNode, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromNode) => {
        if (message.type !== type) return;
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
        resolve(message as Extract<FromNode, { type: T }>);
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.#child.off('message', onMessage);
        reject(new Error(`media node ${this.config.id} exited (${signal ?? code}) before '${type}'`));
      };
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
    });
  }

  async request<T extends FromNode['type']>(message: ToNode, reply: T): Promise<Extract<FromNode, { type: T }>> {
    const answer = this.next(reply);
    this.#child.send(message);
    return answer;
  }

  /** kill -9 of the node's whole process group: the node, its workers, ffmpeg, its senders. */
  kill(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** A clean stop (the node leaves the cluster); kill -9 of the group if it takes over 15 s. */
  async close(): Promise<void> {
    if (this.alive && this.#child.connected) {
      this.#child.send({ type: 'exit' } satisfies ToNode);
      const timer = setTimeout(() => this.kill(), 15_000);
      await this.#exited;
      clearTimeout(timer);
    }
    // Whatever of the group outlived it (nothing, normally).
    this.kill();
  }
}
