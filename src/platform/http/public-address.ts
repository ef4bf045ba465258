import { type LookupAddress, type LookupOptions, lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether an IP address is one the public internet routes: not loopback, private, link-local (the cloud
 * metadata address 169.254.169.254), carrier-grade NAT, unique-local, multicast, reserved or unspecified.
 * IPv4 mapped into IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

/**
 * Why a URL's host is not a public one, or null when it may be: a literal address outside the public
 * internet, or a `localhost` name. Other names are judged where they are resolved (`publicOnlyLookup`).
 */
export function nonPublicHost(url: URL): string | null {
  // A trailing dot (a fully qualified name) resolves like the name without it: `localhost.` is this machine.
  const host = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  if (isIP(host) && !isPublicAddress(host)) return `${host} is not a public address`;
  return null;
}

/** The error a refused outbound connection fails with (its message names the address). */
export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, which is not a public address`);
    this.name = 'NonPublicAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that may only reach the public internet: the name is resolved once, and the
 * connection is refused when any of its addresses is not public. The socket then connects to exactly the
 * address checked, so a name that answers differently a moment later (DNS rebinding) cannot slip through.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(new NonPublicAddressError(hostname, bad.address), '');
    if (options.all) return callback(null, list);
    const first = list[0];
    callback(null, first.address, first.family);
  });
}
