import { isIP } from 'node:net';
import { quadValue } from '@backendkit/core/helpers';

export type HostKind = 'ipv4' | 'ipv6' | 'dns';

// RFC 1123 label: letters, digits and inner hyphens, 1..63 characters.
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Classifies a host: an IPv4 or IPv6 literal (as Node's parser reads them, so `::ffff:1.2.3.4`
 * and `2001:db8::1` are IPs and `1.2.3.256` is not), a DNS name, or neither (undefined).
 */
export function hostKind(host: string): HostKind | undefined {
  // A dotted quad as `isIP` reads it, without its regular expression (most IP hosts).
  if (quadValue(host) >= 0) return 'ipv4';
  const ip = isIP(host);
  if (ip === 4) return 'ipv4';
  if (ip === 6 && !host.includes('%')) return 'ipv6';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  // An all-numeric last label is a malformed IPv4 address, not a name (RFC 3696 §2).
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return 'dns';
}
