import { isIP } from 'node:net';
import type { AddressType, Ec2Filter } from './schema';

/** What backendkit needs of one EC2 instance, whether it came from the API or from a file. */
export interface Ec2Instance {
  instanceId: string;
  /** `State.Name`: `pending`, `running`, `stopped`, ... */
  state: string;
  availabilityZone?: string;
  privateIpAddress?: string;
  publicIpAddress?: string;
  tags: Readonly<Record<string, string>>;
}

/**
 * The region an availability zone belongs to: the zone without its final letter (`us-east-1a` →
 * `us-east-1`). Local Zones and Wavelength Zones (`us-west-2-lax-1a`, `us-east-1-wl1-bos-wlz-1`)
 * carry their parent region as a prefix instead, so a zone also belongs to `region` when it starts
 * with `<region>-`.
 */
export function zoneInRegion(zone: string, region: string): boolean {
  if (zone.slice(0, -1) === region) return true;
  // A parent region ends in a digit and the zone's own part starts with a letter (`lax-1a`), so
  // neither `us-east` nor `us` claims `us-east-1a`.
  return /\d$/.test(region) && zone.startsWith(`${region}-`) && /^[a-z]/.test(zone.slice(region.length + 1));
}

export function matchesFilters(instance: Ec2Instance, filters: readonly Ec2Filter[]): boolean {
  return filters.every((filter) => {
    if (filter.keyValue) return Object.hasOwn(instance.tags, filter.keyValue.key) && instance.tags[filter.keyValue.key] === filter.keyValue.value;
    return filter.key !== undefined && Object.hasOwn(instance.tags, filter.key);
  });
}

/** The IPv4 address of the requested type, or undefined when the instance has none. */
export function addressOf(instance: Ec2Instance, type: AddressType): string | undefined {
  const address = type === 'PublicIP' ? instance.publicIpAddress : instance.privateIpAddress;
  return address !== undefined && isIP(address) === 4 ? address : undefined;
}
