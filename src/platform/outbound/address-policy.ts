import { BlockList, isIP } from 'node:net';

/**
 * SSRF policy: which addresses any outbound request of the hub (deliveries, agent runners) may reach. The
 * caller resolves the host once, checks every address here and connects to the checked one (see guard.ts), so
 * a DNS answer that changes between check and connect (rebinding) cannot slip through.
 */
export class SsrfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SsrfError';
  }
}

const forbidden = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. the unspecified 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. the cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback ::1 and the deprecated IPv4-compatible forms
  ['64:ff9b::', 96], // NAT64 of IPv4 (may reach private IPv4)
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215)
  ['2002::', 16], // 6to4: embeds an IPv4 address (2002:7f00:1:: is 127.0.0.1)
  ['100::', 64], // discard-only
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv6');
}

// IPv4-mapped IPv6 (::ffff:0:0/96): a URL has no business spelling IPv4 this way. Kept in a list of its own:
// node's BlockList matches every plain IPv4 address against an IPv4-mapped subnet.
const mapped = new BlockList();
mapped.addSubnet('::ffff:0:0', 96, 'ipv6');

const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** `::ffff:127.0.0.1` and `::ffff:7f00:1` are IPv4 in IPv6 clothing: check them as the IPv4 they are. */
export function unmapIPv4(address: string): string {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, '');
  const dotted = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] && hex[2]) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return lower;
}

export class AllowList {
  private readonly blocks = new BlockList();
  private readonly hosts = new Set<string>();

  /** Entries are CIDRs (`127.0.0.1/32`, `10.0.0.0/8`, `fd00::/8`), single addresses, or host names. */
  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      const [addr, bits] = entry.split('/');
      const family = isIP(addr ?? '');
      if (family === 0) {
        if (bits !== undefined) throw new Error(`allow-list entry "${raw}" is neither a CIDR nor a host name`);
        this.hosts.add(entry);
        continue;
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`allow-list entry "${raw}" has a bad prefix length`);
      this.blocks.addSubnet(addr as string, prefix, type);
    }
  }

  allowsHost(host: string): boolean {
    return this.hosts.has(host.toLowerCase());
  }

  allowsAddress(address: string): boolean {
    const a = unmapIPv4(address);
    const family = isIP(a);
    return family !== 0 && this.blocks.check(a, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/**
 * True when `address` (an IP literal) is one the hub must never reach, unless the allow-list says so. The raw
 * IPv6 form is checked too: an IPv4-mapped address is refused whatever IPv4 it carries (an allow-listed IPv4
 * stays reachable in that spelling).
 */
export function isForbiddenAddress(address: string, allow?: AllowList): boolean {
  const raw = address.toLowerCase().replace(/^\[|\]$/g, '');
  const a = unmapIPv4(raw);
  const family = isIP(a);
  if (family === 0) return true;
  if (allow?.allowsAddress(a)) return false;
  if (isIP(raw) === 6 && (mapped.check(raw, 'ipv6') || forbidden.check(raw, 'ipv6'))) return true;
  return forbidden.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

/** Refuses cloud metadata names outright (they resolve to link-local addresses, but fail even earlier). */
export function assertHostName(host: string, allow?: AllowList): void {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (allow?.allowsHost(h)) return;
  if (METADATA_NAMES.has(h)) throw new SsrfError(`host ${host} is a cloud metadata name`);
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Checks every resolved address (one bad answer refuses the host) and returns them for connecting. */
export function assertAddresses(host: string, addresses: ResolvedAddress[], allow?: AllowList): ResolvedAddress[] {
  if (addresses.length === 0) throw new SsrfError(`host ${host} resolved to no address`);
  if (allow?.allowsHost(host)) return addresses;
  for (const a of addresses) {
    if (isForbiddenAddress(a.address, allow)) throw new SsrfError(`host ${host} resolves to ${a.address}, a private, loopback, link-local or reserved address`);
  }
  return addresses;
}
