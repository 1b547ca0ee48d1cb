import { isIP } from 'node:net';

/**
 * The client's address: the socket's, unless `trustedHops` proxies stand in front. Each proxy
 * appends the address it saw to `X-Forwarded-For`, so only the entry `trustedHops` from the right
 * was written by a proxy we trust; everything left of it is whatever the client sent. An entry that
 * is not an IP address (a forged or mangled header) is ignored in favour of the socket.
 */
export function clientAddress(forwardedFor: string | null, socketAddress: string | undefined, trustedHops: number): string | null {
  if (trustedHops > 0 && forwardedFor) {
    const entries = forwardedFor.split(',').map((entry) => entry.trim());
    // Fewer entries than trusted proxies: the request skipped one, so the header is the client's own.
    const candidate = entries.length >= trustedHops ? entries[entries.length - trustedHops] : undefined;
    if (candidate !== undefined && isIP(candidate) !== 0) return candidate;
  }
  return socketAddress ?? null;
}
