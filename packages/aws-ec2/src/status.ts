import type { Condition } from '@backendkit/core';
import type { Selection } from './assignment';
import type { DiscoveryFailure } from './source';
import type { AddressType } from './schema';

/** SPEC §6: the condition type EC2 Backends carry besides `Accepted`. */
export const ENDPOINTS_DISCOVERED = 'EndpointsDiscovered';

const condition = (status: Condition['status'], reason: string, message: string): Condition => ({
  type: ENDPOINTS_DISCOVERED,
  status,
  reason,
  message,
});

/** SPEC §6 words this message literally (`1 endpoints active` too), so it stays machine-readable. */
export const activeMessage = (n: number): string => `${n} endpoints active`;

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** After a pass that worked: Discovered, or NoMatchingInstances with what was missing. */
export function discoveredCondition(selection: Selection, region: string, addressType: AddressType): Condition {
  if (selection.active > 0) return condition('True', 'Discovered', activeMessage(selection.active));
  const kind = addressType === 'PublicIP' ? 'public' : 'private';
  const message =
    selection.refused > 0
      ? `${count(selection.refused, 'matching instance')} in ${region} ${selection.refused === 1 ? 'has' : 'have'} only refused addresses (see the warnings)`
      : selection.matching > 0
      ? `${count(selection.matching, 'matching instance')} in ${region} ${selection.matching === 1 ? 'has' : 'have'} no ${kind} IPv4 address`
      : `no running instance in ${region} matches the filters (${count(selection.running, 'running instance')} in the region)`;
  return condition('False', 'NoMatchingInstances', message);
}

export function failedCondition(failure: DiscoveryFailure): Condition {
  return condition('False', failure.reason, failure.message);
}

/** A failed pass while the last good endpoints are still served. */
export function degradedCondition(failure: DiscoveryFailure, selection: Selection): Condition {
  return condition('False', 'Degraded', `discovery failed (${failure.reason}: ${failure.message}); keeping the last good endpoints: ${activeMessage(selection.active)}`);
}

export function pendingCondition(message: string): Condition {
  return condition('Unknown', 'Pending', message);
}
