import type { EndpointSliceSpec, ServicePortSpec } from './schema';

// Hand-written checks that a Service or an EndpointSlice is well formed, for the common case: the
// zod schemas (schema.ts) cost about 20 µs an object, and every Service and slice of the input is
// read (docs/performance.md, "The plugins' own time"). Each check is narrower than its schema, never
// wider: it answers only for plain objects whose every field is of the expected type, and
// undefined for anything else, which then goes to the schema, which words the problems. A property
// test compares what the plugin reads either way on random objects (test/well-formed.test.ts).

type Data = Record<string, unknown>;

/** An object literal or `JSON.parse` output (not an array, not a class instance). */
function isData(value: unknown): value is Data {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const isNullish = (value: unknown): value is null | undefined => value === undefined || value === null;
const isPort = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
const nullishString = (value: unknown): boolean => isNullish(value) || typeof value === 'string';
const PROTOCOLS: readonly unknown[] = ['TCP', 'UDP', 'SCTP'];
const ADDRESS_TYPES: readonly unknown[] = ['IPv4', 'IPv6', 'FQDN'];

/**
 * The ports of a Service when `serviceSchema` would take it as it is (its `superRefine` rules
 * included); undefined when it would not, or when this check cannot tell.
 */
export function wellFormedServicePorts(object: unknown): ServicePortSpec[] | undefined {
  if (!isData(object) || !isData(object.spec)) return undefined;
  const ports = object.spec.ports;
  if (isNullish(ports)) return [];
  if (!Array.isArray(ports)) return undefined;
  const names = new Set<string>();
  const numbers = new Set<string>();
  const read: ServicePortSpec[] = [];
  for (const port of ports as unknown[]) {
    if (!isData(port) || !isPort(port.port)) return undefined;
    const { name, protocol, appProtocol, targetPort } = port;
    if (name !== undefined && typeof name !== 'string') return undefined;
    if (protocol !== undefined && !PROTOCOLS.includes(protocol)) return undefined;
    if (appProtocol !== undefined && (typeof appProtocol !== 'string' || appProtocol === '')) return undefined;
    if (targetPort !== undefined && !isPort(targetPort) && (typeof targetPort !== 'string' || targetPort === '')) return undefined;
    // The schema's own rules: names required with several ports, no name or number/protocol twice.
    const portName = name ?? '';
    const key = `${port.port}/${(protocol as string | undefined) ?? 'TCP'}`;
    if ((ports.length > 1 && portName === '') || names.has(portName) || numbers.has(key)) return undefined;
    if (portName !== '') names.add(portName);
    numbers.add(key);
    read.push(port as ServicePortSpec);
  }
  return read;
}

/**
 * The EndpointSlice itself, typed, when `endpointSliceSchema` would take it as it is; undefined when
 * it would not, or when this check cannot tell. The plugin reads only the fields the schema names.
 */
export function wellFormedSlice(object: unknown): EndpointSliceSpec | undefined {
  if (!isData(object) || !ADDRESS_TYPES.includes(object.addressType)) return undefined;
  const { endpoints, ports } = object;
  if (!isNullish(endpoints)) {
    if (!Array.isArray(endpoints)) return undefined;
    for (const endpoint of endpoints as unknown[]) if (!wellFormedEndpoint(endpoint)) return undefined;
  }
  if (!isNullish(ports)) {
    if (!Array.isArray(ports)) return undefined;
    for (const port of ports as unknown[]) {
      if (!isData(port) || !nullishString(port.name) || !(isNullish(port.port) || isPort(port.port))) return undefined;
    }
  }
  return object as EndpointSliceSpec;
}

function wellFormedEndpoint(endpoint: unknown): boolean {
  if (!isData(endpoint)) return false;
  const { addresses, conditions, zone, targetRef } = endpoint;
  if (!Array.isArray(addresses) || addresses.length === 0) return false;
  for (const address of addresses as unknown[]) if (typeof address !== 'string') return false;
  if (!isNullish(conditions) && !(isData(conditions) && (isNullish(conditions.ready) || typeof conditions.ready === 'boolean'))) return false;
  if (!nullishString(zone)) return false;
  if (isNullish(targetRef)) return true;
  return isData(targetRef) && nullishString(targetRef.kind) && nullishString(targetRef.name) && nullishString(targetRef.namespace);
}
