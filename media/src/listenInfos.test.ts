import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { listenInfos } from './listenInfos.ts';

const nic = (address: string, family: 'IPv4' | 'IPv6' = 'IPv4', internal = false) => ({ address, family, internal, netmask: '', mac: '', cidr: null }) as os.NetworkInterfaceInfo;

describe('listenInfos', () => {
  const machine = { lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)], eth0: [nic('192.0.2.2'), nic('fd00::2', 'IPv6'), nic('169.254.10.1')], wlan0: [nic('10.1.2.3')] };

  it('listens on every IPv4 address of the machine, loopback included, by default', () => {
    expect(listenInfos({ listenIp: null, announcedAddress: null }, machine)).toEqual([
      { protocol: 'udp', ip: '127.0.0.1' },
      { protocol: 'tcp', ip: '127.0.0.1' },
      { protocol: 'udp', ip: '192.0.2.2' },
      { protocol: 'tcp', ip: '192.0.2.2' },
      { protocol: 'udp', ip: '10.1.2.3' },
      { protocol: 'tcp', ip: '10.1.2.3' },
    ]);
  });

  it('uses one configured address, announcing the public one behind NAT', () => {
    expect(listenInfos({ listenIp: '0.0.0.0', announcedAddress: '203.0.113.7' }, machine)).toEqual([
      { protocol: 'udp', ip: '0.0.0.0', announcedAddress: '203.0.113.7' },
      { protocol: 'tcp', ip: '0.0.0.0', announcedAddress: '203.0.113.7' },
    ]);
    expect(listenInfos({ listenIp: '10.1.2.3', announcedAddress: null }, machine)).toEqual([
      { protocol: 'udp', ip: '10.1.2.3' },
      { protocol: 'tcp', ip: '10.1.2.3' },
    ]);
  });

  it('falls back to loopback on a machine without IPv4 addresses', () => {
    expect(listenInfos({ listenIp: null, announcedAddress: null }, {})).toEqual([
      { protocol: 'udp', ip: '127.0.0.1' },
      { protocol: 'tcp', ip: '127.0.0.1' },
    ]);
  });
});
