import type { ErrorCode } from '@rehearse/protocol/signaling';

/** A request failed in a way the page can act on; `code` is stable, `message` is for people. */
export class SignalingError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
  }
}
