/** The browser could never reach the media server: a firewall, a VPN, a network without UDP. */
export class MediaConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaConnectionError';
  }
}
