import type { Condition } from '@backendkit/core';
import type { Selection } from './assignment';
import type { DiscoveryFailure } from './source';
import type { AddressType, Ec2Filter } from './schema';

/** docs/aws-ec2.md: the condition type EC2 Backends carry besides `Accepted`. */
export const ENDPOINTS_DISCOVERED = 'EndpointsDiscovered';

const condition = (status: Condition['status'], reason: string, message: string): Condition => ({
  type: ENDPOINTS_DISCOVERED,
  status,
  reason,
  message,
});

/** docs/aws-ec2.md gives this message word for word (`1 endpoints active` too), so it stays machine-readable. */
export const activeMessage = (n: number): string => `${n} endpoints active`;

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * After a pass that worked: Discovered, or NoMatchingInstances in kgateway's words (docs/aws-ec2.md):
 * the filters, when they matched nothing, else the address type no instance had. No instance counts,
 * so unrelated instances coming and going do not change the status. When every matching instance has
 * only addresses core refuses, the message says so (docs/security.md) and counts those instances.
 */
export function discoveredCondition(selection: Selection, region: string, addressType: AddressType, filters: readonly Ec2Filter[] = []): Condition {
  if (selection.active > 0) return condition('True', 'Discovered', activeMessage(selection.active));
  const message =
    selection.refused > 0
      ? `${count(selection.refused, 'matching instance')} in ${region} ${selection.refused === 1 ? 'has' : 'have'} only refused addresses (see the warnings)`
      : filters.length > 0 && selection.matching === 0
      ? `last poll succeeded but no running instances in region ${region} matched the configured tag filters [${filters.map(describeFilter).join(', ')}]`
      : `last poll succeeded but no running instances in region ${region} had a usable ${addressType} address`;
  return condition('False', 'NoMatchingInstances', message);
}

function describeFilter(filter: Ec2Filter): string {
  return filter.keyValue ? `${filter.keyValue.key}=${filter.keyValue.value}` : (filter.key ?? '');
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
