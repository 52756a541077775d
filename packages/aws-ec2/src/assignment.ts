import type { ClusterLoadAssignmentJson } from '@backendkit/core';
import { compareAddresses, compareStrings, frozenJson, refusedAddress } from '@backendkit/core/helpers';
import { addressOf, matchesFilters, zoneInRegion, type Ec2Instance } from './instances';
import type { Ec2Filter, Ec2Spec } from './schema';

/** The `filterMetadata` namespace that carries each endpoint's instance id. */
export const METADATA_NAMESPACE = 'io.backendkit.aws_ec2';

/** One address claimed by several instances: `kept` serves it, the others are left out. */
export interface SharedAddress {
  address: string;
  kept: string;
  dropped: string[];
}

export interface Selection {
  assignment: ClusterLoadAssignmentJson;
  /** lbEndpoints in the assignment that core will serve (see `served` in `selectEndpoints`). */
  active: number;
  /** lbEndpoints in the assignment whose address core refuses (left out, with a warning). */
  refused: number;
  /** Running instances in the region, before tag filters. */
  running: number;
  /** Of those, the ones every filter matches. */
  matching: number;
  shared: SharedAddress[];
}

interface Chosen {
  address: string;
  instance: Ec2Instance;
  zone: string;
}

/**
 * docs/aws-ec2.md: running instances of the region that match every filter and have an IPv4 address of
 * the requested type; one locality per zone, sorted by zone; endpoints by address, then instance id.
 * An address held by two instances (overlapping VPCs) is served once, by the lowest instance id:
 * Envoy keeps one host per address anyway, and the choice must not depend on input order.
 * `served` tells which addresses core's safety net lets through (docs/security.md): the counts in the
 * condition are of what Envoy gets, not of what was found.
 */
export function selectEndpoints(
  instances: readonly Ec2Instance[],
  spec: Ec2Spec,
  region: string,
  served: (address: string) => boolean = () => true,
): Selection {
  const index = fleetIndex(instances, region);
  // The filter with the fewest candidates narrows them; every filter then decides, in fleet order.
  let candidates: readonly Ec2Instance[] = index.running;
  for (const filter of spec.filters) {
    const some = filterCandidates(index, filter);
    if (some.length < candidates.length) candidates = some;
  }
  const matching = candidates.filter((i) => matchesFilters(i, spec.filters));
  const chosen: Chosen[] = [];
  for (const instance of matching) {
    const address = addressOf(instance, spec.addressType);
    if (address) chosen.push({ address, instance, zone: instance.availabilityZone! });
  }
  chosen.sort((a, b) => compareAddresses(a.address, b.address) || compareStrings(a.instance.instanceId, b.instance.instanceId));

  const shared: SharedAddress[] = [];
  const unique: Chosen[] = [];
  for (const entry of chosen) {
    const previous = unique[unique.length - 1];
    if (previous && previous.address === entry.address) {
      const last = shared[shared.length - 1];
      if (last && last.address === entry.address) last.dropped.push(entry.instance.instanceId);
      else shared.push({ address: entry.address, kept: previous.instance.instanceId, dropped: [entry.instance.instanceId] });
      continue;
    }
    unique.push(entry);
  }

  const zones = [...new Set(unique.map((e) => e.zone))].sort(compareStrings);
  const endpoints = zones.map((zone) => {
    const members = unique.filter((e) => e.zone === zone);
    // Each instance weighs 1, so a zone weighs its instance count (docs/aws-ec2.md).
    // Fields in the order of Envoy's schema (locality, lbEndpoints, loadBalancingWeight), as the strict check prints them.
    return { locality: { region, zone }, lbEndpoints: members.map((e) => lbEndpoint(e, spec.port)), loadBalancingWeight: members.length };
  });
  const active = unique.filter((e) => served(e.address)).length;
  return {
    assignment: endpoints.length > 0 ? { endpoints } : {},
    active,
    refused: unique.length - active,
    running: index.running.length,
    matching: matching.length,
    shared,
  };
}

/** Core's safety net as `selectEndpoints` asks it (docs/security.md). */
const servedByCore = (address: string): boolean => refusedAddress(address) === undefined;

/**
 * `selectEndpoints` for a Backend, with core's safety net (`screened`) or without it, kept per
 * instance list (a source hands out the same list until its next pass) and per what the selection
 * reads of the spec: Backends that select the same instances share one selection, frozen, instead
 * of each filtering, sorting and grouping them again (docs/performance.md, "The translation's own
 * work"). Bounded: a list's selections are emptied when it holds `MAX_SELECTIONS`.
 */
export function sharedSelection(instances: readonly Ec2Instance[], spec: Ec2Spec, region: string, screened: boolean): Selection {
  let byKey = selections.get(instances);
  if (!byKey) selections.set(instances, (byKey = new Map()));
  const key = JSON.stringify([region, spec.addressType, spec.port, screened, spec.filters]);
  let selection = byKey.get(key);
  if (!selection) {
    if (byKey.size >= MAX_SELECTIONS) byKey.clear();
    selection = frozenJson(selectEndpoints(instances, spec, region, screened ? servedByCore : undefined));
    byKey.set(key, selection);
  }
  return selection;
}

const selections = new WeakMap<readonly Ec2Instance[], Map<string, Selection>>();
const MAX_SELECTIONS = 10_000;

/**
 * The running instances of one region, and of those, the ones with each tag key and with each value
 * of it (in fleet order).
 */
interface FleetIndex {
  running: Ec2Instance[];
  byTag: Map<string, Ec2Instance[]>;
  byTagValue: Map<string, Map<string, Ec2Instance[]>>;
}

const NONE: readonly Ec2Instance[] = [];

/** The running instances one filter can match: all that it matches, in fleet order, and maybe more. */
function filterCandidates(index: FleetIndex, filter: Ec2Filter): readonly Ec2Instance[] {
  if (filter.keyValue) return index.byTagValue.get(filter.keyValue.key)?.get(filter.keyValue.value) ?? NONE;
  return filter.key === undefined ? NONE : (index.byTag.get(filter.key) ?? NONE);
}

/**
 * Built once per instance list and region (docs/performance.md): a source hands out the same list
 * until its next pass, so the fleet is scanned once per source version, not once per Backend.
 */
const fleetIndexes = new WeakMap<readonly Ec2Instance[], Map<string, FleetIndex>>();

function fleetIndex(instances: readonly Ec2Instance[], region: string): FleetIndex {
  let byRegion = fleetIndexes.get(instances);
  if (!byRegion) {
    byRegion = new Map();
    fleetIndexes.set(instances, byRegion);
  }
  let index = byRegion.get(region);
  if (!index) {
    const running = instances.filter((i) => i.state === 'running' && i.availabilityZone !== undefined && zoneInRegion(i.availabilityZone, region));
    const byTag = new Map<string, Ec2Instance[]>();
    const byTagValue = new Map<string, Map<string, Ec2Instance[]>>();
    for (const instance of running) {
      for (const key of Object.keys(instance.tags)) {
        let list = byTag.get(key);
        if (!list) byTag.set(key, (list = []));
        list.push(instance);
        let values = byTagValue.get(key);
        if (!values) byTagValue.set(key, (values = new Map()));
        const value = instance.tags[key]!;
        let withValue = values.get(value);
        if (!withValue) values.set(value, (withValue = []));
        withValue.push(instance);
      }
    }
    index = { running, byTag, byTagValue };
    byRegion.set(region, index);
  }
  return index;
}

function lbEndpoint({ address, instance }: Chosen, port: number) {
  return {
    endpoint: { address: { socketAddress: { address, portValue: port } } },
    metadata: { filterMetadata: { [METADATA_NAMESPACE]: { instanceId: instance.instanceId } } },
  };
}
