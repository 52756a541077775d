import type { DescEnum, DescField, DescMessage } from '@bufbuild/protobuf';
import { clusterRegistry } from '@backendkit/xds-types/clusters';
import { envoyEnum, envoyMessage, envoyMessageNames, hasEnvoyField, Scalar } from '../src/envoy-schema';
import { ScalarType } from '@bufbuild/protobuf';

// The schema table the strict walk reads (../src/envoy-schema) must say what protobuf-es's
// descriptors of the same files say, message by message and field by field.

const descMessages = [...clusterRegistry].filter((t): t is DescMessage => t.kind === 'message');
const descEnums = [...clusterRegistry].filter((t): t is DescEnum => t.kind === 'enum');

function valueRef(field: DescField): string | number {
  const kind = field.fieldKind === 'list' ? field.listKind : field.fieldKind === 'map' ? field.mapKind : field.fieldKind;
  if (kind === 'scalar') return (field as { scalar: number }).scalar;
  return kind === 'enum' ? (field as { enum: DescEnum }).enum.typeName : (field as { message: DescMessage }).message.typeName;
}

test('the table has the messages of the cluster side, and only those', () => {
  expect(descMessages.length).toBeGreaterThan(400);
  expect(envoyMessageNames().sort()).toEqual(descMessages.map((m) => m.typeName).sort());
  expect(envoyMessage('envoy.config.listener.v3.Listener')).toBeUndefined();
  expect(envoyMessage('toString')).toBeUndefined();
});

test.each(descMessages.map((m) => [m.typeName, m] as const))('%s: every field as protobuf-es has it', (_name, desc) => {
  const table = envoyMessage(desc.typeName)!;
  interface Described {
    name: string;
    jsonName: string;
    number: number;
    fieldKind: string;
    presence: number;
    oneof?: { name: string };
    mapKey?: number;
  }
  const summary = (f: Described, ref: string | number) => ({ ...pick(f), oneof: f.oneof?.name, ref, mapKey: f.fieldKind === 'map' ? f.mapKey : undefined });
  const pick = ({ name, jsonName, number, fieldKind, presence }: Described) => ({ name, jsonName, number, fieldKind, presence });
  const described = table.fields.map((f) =>
    summary(
      f,
      f.valueKind === 'scalar'
        ? (f as { scalar: number }).scalar
        : f.valueKind === 'enum'
          ? (f as { enum: { typeName: string } }).enum.typeName
          : (f as { message: { typeName: string } }).message.typeName,
    ),
  );
  const expected = desc.fields.map((f) => summary(f as Described, valueRef(f)));
  expect(described).toEqual(expected);
  expect(table.oneofs.map((o) => [o.name, o.fields.map((f) => f.name)])).toEqual(desc.oneofs.map((o) => [o.name, o.fields.map((f) => f.name)]));
  // toJson's order (and each field's slot in it), and both spellings of every field.
  table.ordered.forEach((f, i) => expect(f.slot).toBe(i));
  expect(table.ordered.map((f) => f.number)).toEqual([...desc.fields].map((f) => f.number).sort((a, b) => a - b));
  for (const f of desc.fields) {
    expect(table.byKey.get(f.jsonName)?.name).toBe(f.name);
    expect(table.byKey.get(f.name)?.name).toBe(f.name);
  }
});

test.each(descEnums.map((e) => [e.typeName, e] as const))('enum %s: every value as protobuf-es has it', (_name, desc) => {
  expect(envoyEnum(desc.typeName)?.values).toEqual(desc.values.map((v) => ({ name: v.name, number: v.number, jsonName: v.jsonName })));
});

test('scalar numbers are protobuf-es ScalarType', () => {
  for (const [name, number] of Object.entries(Scalar)) expect(ScalarType[name as keyof typeof ScalarType]).toBe(number);
});

test('hasEnvoyField answers by proto3-JSON name', () => {
  expect(hasEnvoyField('envoy.config.cluster.v3.Cluster', 'connectTimeout')).toBe(true);
  expect(hasEnvoyField('envoy.config.cluster.v3.Cluster', 'connect_timeout')).toBe(false);
  expect(hasEnvoyField('envoy.config.cluster.v3.Cluster', 'noSuchField')).toBe(false);
  expect(hasEnvoyField('no.such.Message', 'name')).toBe(false);
});
