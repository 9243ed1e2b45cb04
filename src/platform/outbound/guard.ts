import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent } from 'undici';
import { AllowList, SsrfError, assertAddresses, assertHostName, isForbiddenAddress, type ResolvedAddress } from './address-policy';

/** Resolves a host name to every address (the seam tests use to simulate DNS answers). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) => {
  const all = await dns.promises.lookup(host, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * The one outbound allow-list: HOOKHUB_OUTBOUND_ALLOW plus its older name HOOKHUB_DELIVERY_ALLOW_PRIVATE, for
 * deliveries and agent runners alike.
 */
export function outboundAllowEntries(env: { outboundAllow: readonly string[]; deliveryAllowPrivate: readonly string[] }): string[] {
  return [...new Set([...env.outboundAllow, ...env.deliveryAllowPrivate])];
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The SSRF guard every outbound request of the hub goes through (delivery's EndpointClient, the runners'
 * GuardedHttpClient): scheme and IP-literal checks before connecting, and a pinned lookup for undici's
 * `connect.lookup` that resolves the host once, checks every address and hands exactly those to the socket.
 */
export class OutboundGuard {
  readonly allow: AllowList;

  constructor(allow: AllowList | readonly string[], private readonly resolver: Resolver = systemResolver) {
    this.allow = allow instanceof AllowList ? allow : new AllowList(allow);
  }

  /** Checks what can be checked before connecting: scheme, metadata names and IP literals. */
  precheck(url: URL, httpsOnly = false): void {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SsrfError(`scheme ${url.protocol} is not allowed`);
    if (httpsOnly && url.protocol !== 'https:') throw new SsrfError('only https endpoints are allowed');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    assertHostName(host, this.allow);
    if (isIP(host) !== 0 && isForbiddenAddress(host, this.allow)) throw new SsrfError(`address ${host} is private, loopback, link-local or reserved`);
  }

  /**
   * The check run when a URL is configured (agent create/update, import): the precheck plus the addresses the
   * name resolves to now. A name that does not resolve yet is accepted; the pinned lookup checks it at send.
   */
  async checkUrl(raw: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new SsrfError(`${raw} is not a URL`);
    }
    this.precheck(url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) return;
    let addresses: ResolvedAddress[];
    try {
      addresses = await this.resolver(host);
    } catch {
      return;
    }
    assertAddresses(host, addresses, this.allow);
  }

  /** For undici's `connect.lookup`: one resolution, every address checked, the socket connects to those. */
  lookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
    Promise.resolve()
      .then(async () => {
        assertHostName(hostname, this.allow);
        return assertAddresses(hostname, await this.resolver(hostname), this.allow);
      })
      .then(
        (addresses) => {
          const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
          const list = wanted.length ? wanted : addresses;
          if (options.all) callback(null, list.map((a) => ({ address: a.address, family: a.family })));
          else callback(null, (list[0] as ResolvedAddress).address, (list[0] as ResolvedAddress).family);
        },
        (err: NodeJS.ErrnoException) => callback(err, ''),
      );
  }

  /** A keep-alive undici Agent whose every connection goes through `lookup`. */
  agent(options: { connections?: number; keepAliveTimeout?: number; keepAliveMaxTimeout?: number } = {}): Agent {
    return new Agent({ ...options, connect: { lookup: (hostname, opts, callback) => this.lookup(hostname, opts, callback) } });
  }
}
