// The pipe between the server and the PocketSphinx child process. Parent → child: framed
// messages (type byte, little-endian u32 length, payload). Child → parent: one JSON event a line.

export const MessageType = {
  /** Payload: 16 kHz mono s16le samples. */
  Audio: 1,
  /** End the utterance now: finals for everything heard. */
  Finalize: 2,
  /** Finalize, then exit. */
  End: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export type Message = { type: typeof MessageType.Audio; samples: Int16Array } | { type: typeof MessageType.Finalize } | { type: typeof MessageType.End };

export interface DecoderWord {
  text: string;
  /** Seconds from the session's first sample. */
  start: number;
  end: number;
  confidence: number;
}

export type DecoderEvent =
  | { type: 'ready'; model: string }
  | { type: 'interim'; words: DecoderWord[] }
  | { type: 'final'; words: DecoderWord[]; until: number }
  | { type: 'speechStarted'; at: number }
  | { type: 'utteranceEnd'; lastWordEnd: number }
  /** After End: every final has been written; the process frees its model and exits. */
  | { type: 'done' };

const HEADER = 5;

export function encodeMessage(type: MessageType, samples?: Int16Array): Buffer {
  const payload = samples ? Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength) : Buffer.alloc(0);
  const header = Buffer.alloc(HEADER);
  header[0] = type;
  header.writeUInt32LE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** Reassembles messages from stdin chunks of any size. */
export class MessageReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Message[] {
    this.#pending = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const out: Message[] = [];
    while (this.#pending.length >= HEADER) {
      const length = this.#pending.readUInt32LE(1);
      if (this.#pending.length < HEADER + length) break;
      const type = this.#pending[0]!;
      const payload = this.#pending.subarray(HEADER, HEADER + length);
      this.#pending = this.#pending.subarray(HEADER + length);
      if (type === MessageType.Audio) {
        // Copied: Int16Array needs an aligned, owned buffer.
        const samples = new Int16Array(payload.length >> 1);
        for (let i = 0; i < samples.length; i++) samples[i] = payload.readInt16LE(i * 2);
        out.push({ type, samples });
      } else if (type === MessageType.Finalize || type === MessageType.End) {
        out.push({ type: type as typeof MessageType.Finalize | typeof MessageType.End });
      } else {
        throw new Error(`unknown message type ${type}`);
      }
    }
    return out;
  }
}
