import net from 'node:net';

/**
 * Whether a listen address (HOST) or a peer address only ever reaches this machine: `localhost`,
 * 127.0.0.0/8, `::1` and the IPv4-mapped form of a 127.x address. Anything else (0.0.0.0, ::,
 * a LAN or public address, a host name) may be reached from elsewhere.
 */
export function isLoopbackHost(host: string | undefined | null): boolean {
  if (!host) return false;
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  if (net.isIPv4(v4)) return v4.split('.')[0] === '127';
  return net.isIPv6(bare) && (bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare));
}
