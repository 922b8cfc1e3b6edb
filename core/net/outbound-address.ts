import net from 'node:net';

/**
 * Addresses a request leaving the server must not reach unless the deployment allows it:
 * "this host", private, shared (CGNAT), loopback, link-local (cloud metadata at 169.254.169.254),
 * documentation, benchmarking, multicast and reserved ranges, and their IPv6 counterparts
 * (unique local, link-local, site-local, NAT64 and 6to4, which can carry a private IPv4 inside).
 */
const SPECIAL_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;

const SPECIAL_V6 = [
  // The unspecified and loopback addresses, and the deprecated IPv4-compatible ones (`::127.0.0.1`).
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const;

const special = new net.BlockList();
for (const [address, prefix] of SPECIAL_V4) special.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of SPECIAL_V6) special.addSubnet(address, prefix, 'ipv6');

/** `::ffff:10.0.0.1` (an IPv4 address written as IPv6) -> `10.0.0.1`; anything else unchanged. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  const hex = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return address;
}

/** True for an address on the public internet; false for anything special, or not an IP address at all. */
export function isPublicAddress(address: string): boolean {
  const plain = unmapped(address.replace(/^\[|\]$/g, ''));
  const family = net.isIP(plain);
  if (family === 0) return false;
  return !special.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}
