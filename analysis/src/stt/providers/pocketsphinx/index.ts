// The embedded offline engine: Debian's PocketSphinx in a child process per session (the library
// can abort(), which must not take the server with it). Rough: it misses hesitations (um, uh)
// and gets about one word in six wrong on clear speech, so the page labels it as such.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { EventQueue } from '../../queue.ts';
import { SttError, type SessionEvent, type SttProvider, type SttSession } from '../../types.ts';
import { encodeMessage, MessageType, type DecoderEvent, type DecoderWord } from './protocol.ts';

const processEntry = fileURLToPath(new URL('./decoder-process.ts', import.meta.url));
export const POCKETSPHINX = 'pocketsphinx';

export interface EngineCheck {
  ok: boolean;
  detail: string;
}

/** Proves the embedded engine works here: library loads, model loads, audio decodes. */
export function checkPocketSphinx(): Promise<EngineCheck> {
  return new Promise((resolve) => {
    execFile(process.execPath, [processEntry, '--self-test'], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) {
        const reason = error.signal ? `decoder process ended by ${error.signal}` : stderr.trim().split('\n').at(-1) || error.message;
        resolve({ ok: false, detail: `PocketSphinx unavailable: ${reason}` });
        return;
      }
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { loadMs?: number };
      resolve({ ok: true, detail: `PocketSphinx en-US model loaded in ${result.loadMs} ms (rough local engine)` });
    });
  });
}

function toWords(words: DecoderWord[]) {
  return words.map((w) => ({ ...w, engine: POCKETSPHINX }));
}

class PocketSphinxSession implements SttSession {
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #events = new EventQueue<SessionEvent>();
  #ending = false;
  #stderr = '';

  constructor() {
    this.#child = spawn(process.execPath, [processEntry], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdin.on('error', () => {
      // The process died; its exit says how.
    });
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (text: string) => (this.#stderr = (this.#stderr + text).slice(-2000)));
    const lines = createInterface({ input: this.#child.stdout });
    lines.on('line', (line) => this.#onLine(line));
    this.#child.once('error', (error) => this.#events.fail(new SttError(`PocketSphinx did not start: ${error.message}`, { code: 'engine_unavailable', retryable: false, cause: error })));
    // Every line is read before 'close' (stdout ended and the process exited); after 'done' the
    // session has already ended, and how the process exits no longer matters.
    this.#child.once('close', (code, signal) => {
      if (this.#ending && code === 0) this.#events.end();
      else if (!this.#events.ended) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        this.#events.fail(new SttError(`PocketSphinx ${how}${this.#stderr ? `: ${this.#stderr.trim().split('\n').at(-1)}` : ''}`, { code: 'engine_crashed', retryable: true }));
      }
    });
  }

  /** The decoder process (tests kill it to see a crash handled). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  #onLine(line: string): void {
    let event: DecoderEvent;
    try {
      event = JSON.parse(line) as DecoderEvent;
    } catch {
      return;
    }
    switch (event.type) {
      case 'interim':
        this.#events.push({ type: 'interim', words: toWords(event.words) });
        break;
      case 'final':
        this.#events.push({ type: 'final', words: toWords(event.words), until: event.until });
        break;
      case 'speechStarted':
      case 'utteranceEnd':
        this.#events.push(event);
        break;
      case 'done':
        // Asked to end and every final is in: the session is over (freeing and exiting come after).
        if (this.#ending) this.#events.end();
        break;
      case 'ready':
        break;
    }
  }

  #write(message: Buffer): void {
    if (this.#child.stdin.writable) this.#child.stdin.write(message);
  }

  send(samples: Int16Array): void {
    if (!this.#ending) this.#write(encodeMessage(MessageType.Audio, samples));
  }

  finalize(): void {
    if (!this.#ending) this.#write(encodeMessage(MessageType.Finalize));
  }

  end(): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#write(encodeMessage(MessageType.End));
    this.#child.stdin.end();
  }

  close(): void {
    this.#ending = true;
    this.#events.end();
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }

  [Symbol.asyncIterator](): AsyncIterator<SessionEvent> {
    return this.#events[Symbol.asyncIterator]();
  }
}

export class PocketSphinxProvider implements SttProvider {
  readonly name = POCKETSPHINX;
  readonly label = 'PocketSphinx (rough local engine)';
  readonly skipsSilence = false;
  readonly hearsHesitations = false;

  async open(): Promise<SttSession> {
    return new PocketSphinxSession();
  }
}
