// The media package's errors. Bad arguments throw the built-in TypeError; use after close throws
// the InvalidStateError every package shares.
export { InvalidStateError } from '@rehearse/core/errors';

/** An ffmpeg or ffprobe run failed; the message ends with the last lines it printed, which name the cause. */
export class FfmpegError extends Error {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;

  constructor(message: string, { exitCode = null, signal = null, stderr = '' }: { exitCode?: number | null; signal?: NodeJS.Signals | null; stderr?: string } = {}) {
    super(stderr.trim() ? `${message}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : message);
    this.name = 'FfmpegError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderr = stderr;
  }
}

/** A recording ended with no playable media in it (no piece ever received a packet). */
export class EmptyRecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmptyRecordingError';
  }
}

/** A peer asked for more of something than one participant may have (transports, producers, consumers, peers in a room). */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** A referenced transport, producer or consumer does not exist (or not for this peer). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
