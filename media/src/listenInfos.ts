// Where WebRTC transports listen, and which addresses they announce to browsers.
import os from 'node:os';
import type { types } from 'mediasoup';

export interface ListenSettings {
  /** One address to listen on (MEDIASOUP_LISTEN_IP); null: every IPv4 address of this machine. */
  listenIp: string | null;
  /** The public address behind NAT (MEDIASOUP_ANNOUNCED_ADDRESS), with `listenIp`. */
  announcedAddress: string | null;
}

/**
 * Without a configured address, transports listen on each IPv4 address of this machine, loopback
 * included, and announce each as it is: a browser on this machine (Chromium also reaches loopback;
 * Firefox offers only its non-loopback addresses) and one on the local network both find a
 * candidate they can reach. Link-local addresses are left out. Behind NAT, set one listen address
 * and the public one to announce.
 */
export function listenInfos({ listenIp, announcedAddress }: ListenSettings, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): types.TransportListenInfo[] {
  const addresses = listenIp
    ? [listenIp]
    : [...new Set(Object.values(interfaces).flatMap((list) => (list ?? []).filter((i) => i.family === 'IPv4' && !i.address.startsWith('169.254.')).map((i) => i.address)))];
  if (addresses.length === 0) addresses.push('127.0.0.1');
  return addresses.flatMap((ip) =>
    (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip, ...(listenIp && announcedAddress ? { announcedAddress } : {}) })),
  );
}
