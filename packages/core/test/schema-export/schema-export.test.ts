import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { z } from 'zod';
import { definePlugin, loadText, type BackendPlugin } from '@backendkit/core';
import { backendCrd, backendSpecJsonSchema, backendSpecStructuralSchema, toStructural, type JsonSchema } from '@backendkit/core/schema';
import { builtinPlugins } from '@backendkit/preset';
import { staticPlugin } from '@backendkit/static';
import { toyPlugin } from '../toy-plugins';
import { compileOpenApi, structuralProblems } from './crd-rules';

const EXAMPLES = join(__dirname, '../../../../examples');

/** Every Backend spec in examples/*.yaml, read now: other packages keep adding examples. */
function exampleSpecs(): { where: string; spec: unknown }[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      loadText(readFileSync(join(EXAMPLES, file), 'utf8'), { file })
        .objects.filter((o) => o.kind === 'Backend')
        .map((o) => ({ where: `${file} ${o.metadata.namespace}/${o.metadata.name}`, spec: o.spec })),
    );
}

// Ajv's strict mode, except strictRequired: "exactly one of" branches name fields declared beside them.
const STRICT = { strict: true, strictRequired: false } as const;

function jsonSchemaValidator(plugins: readonly BackendPlugin[]) {
  return new Ajv2020({ allErrors: true, ...STRICT }).compile(backendSpecJsonSchema(plugins));
}

const staticSpec = { static: { hosts: [{ host: 'api.example.com', port: 443 }] } };
const lambda = { functionName: 'hello', accountId: '123456789012' };

// Two variants of one key, as aws.lambda / aws.ec2 are, with a recursive part to exercise $ref.
type Node = { name: string; children?: Node[] };
const node: z.ZodType<Node> = z.lazy(() => z.strictObject({ name: z.string(), children: z.array(node).optional() }));
const variantA = definePlugin({
  name: 'test/cloud-a',
  key: 'cloud',
  variant: 'a',
  legacyType: 'Cloud',
  schema: z.strictObject({ region: z.string().default('r1'), a: z.strictObject({ tree: node }) }),
  translate: () => ({}),
});
const variantB = definePlugin({
  name: 'test/cloud-b',
  key: 'cloud',
  variant: 'b',
  legacyType: 'Cloud',
  schema: z.strictObject({ region: z.string().default('r1'), b: z.strictObject({ size: z.number().int().positive() }) }),
  translate: () => ({}),
});

describe('JSON Schema of Backend.spec', () => {
  const plugins = builtinPlugins();
  const validate = jsonSchemaValidator(plugins);

  test('is draft 2020-12 that Ajv compiles in strict mode', () => {
    expect(backendSpecJsonSchema(plugins).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof validate).toBe('function');
  });

  test('accepts every Backend spec in examples/*.yaml', () => {
    const specs = exampleSpecs();
    expect(specs.length).toBeGreaterThan(0);
    for (const { where, spec } of specs) expect({ where, ok: validate(spec), errors: validate.errors }).toEqual({ where, ok: true, errors: null });
  });

  test('rejects two type keys, no type key, and an unknown key', () => {
    expect(validate({ ...staticSpec, kubernetes: { serviceName: 'a', servicePort: 80 } })).toBe(false);
    expect(validate({})).toBe(false);
    expect(validate({ ...staticSpec, statik: {} })).toBe(false);
    expect(validate(staticSpec)).toBe(true);
  });

  test('the legacy type must name the key that is set', () => {
    expect(validate({ type: 'Static', ...staticSpec })).toBe(true);
    expect(validate({ type: 'AWS', ...staticSpec })).toBe(false);
    expect(validate({ type: 'Nope', ...staticSpec })).toBe(false);
  });

  test('a shared key takes exactly one variant', () => {
    expect(validate({ aws: { lambda } })).toBe(true);
    expect(validate({ aws: { ec2: {} } })).toBe(true);
    expect(validate({ aws: { lambda, ec2: {} } })).toBe(false);
    expect(validate({ aws: { region: 'eu-west-1' } })).toBe(false);
  });

  test('carries the input side of the zod schemas: defaults, enums, bounds, required fields', () => {
    const schema = backendSpecJsonSchema(plugins) as { properties: Record<string, JsonSchema> };
    const port = (schema.properties.static as any).properties.hosts.items.properties.port;
    expect(port).toEqual({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(validate({ static: { hosts: [{ host: 'a.example.com', port: 0 }] } })).toBe(false);
    expect(validate({ static: { hosts: [{ host: 'a.example.com' }] } })).toBe(false);
    expect(JSON.stringify(schema.properties.aws)).toContain('"default":"us-east-1"');
  });

  test("a custom plugin's key appears, in the exactly-one description too, and is validated", () => {
    const withToy = backendSpecJsonSchema([staticPlugin(), toyPlugin]);
    expect(Object.keys(withToy.properties as object)).toEqual(['type', 'static', 'toy']);
    expect(withToy.description).toBe('exactly one of the fields in [static toy] must be set');
    const check = new Ajv2020(STRICT).compile(withToy);
    expect(check({ toy: { address: '192.0.2.1', port: 80 } })).toBe(true);
    expect(check({ type: 'Toy', toy: { address: '192.0.2.1', port: 80 } })).toBe(true);
    expect(check({ type: 'Static', toy: { address: '192.0.2.1', port: 80 } })).toBe(false);
    expect(check({ toy: { address: '192.0.2.1' } })).toBe(false);
    expect(check({ toy: { address: '192.0.2.1', port: 80 }, ...staticSpec })).toBe(false);
  });

  test('a key without a legacy type refuses any spec.type when others have one', () => {
    const plain = definePlugin({ name: 'test/plain', key: 'plain', schema: z.strictObject({}), translate: () => ({}) });
    const check = new Ajv2020(STRICT).compile(backendSpecJsonSchema([staticPlugin(), plain]));
    expect(check({ plain: {} })).toBe(true);
    expect(check({ type: 'Static', plain: {} })).toBe(false);
  });

  test('variants with recursive schemas keep working $refs', () => {
    const check = new Ajv2020(STRICT).compile(backendSpecJsonSchema([variantA, variantB]));
    expect(check({ cloud: { a: { tree: { name: 'x', children: [{ name: 'y', children: [] }] } } } })).toBe(true);
    expect(check({ cloud: { a: { tree: { name: 'x', children: [{ nom: 'y' }] } } } })).toBe(false);
    expect(check({ cloud: { b: { size: 2 } } })).toBe(true);
    expect(check({ cloud: { a: { tree: { name: 'x' } }, b: { size: 2 } } })).toBe(false);
    expect(check({ cloud: { b: { size: 0 } } })).toBe(false);
  });

  test('a plugin schema zod cannot print does not break the document', () => {
    const odd = definePlugin({
      name: 'test/odd',
      key: 'odd',
      schema: { safeParse: () => ({ success: true, data: {} }) } as unknown as z.ZodType<object>,
      translate: () => ({}),
    });
    const schema = backendSpecJsonSchema([odd]);
    expect((schema.properties as any).odd.description).toMatch(/^The schema of plugin test\/odd cannot be expressed as JSON Schema/);
    expect(new Ajv2020(STRICT).compile(schema)({ odd: { anything: 1 } })).toBe(true);
  });
});

describe('Backend CRD', () => {
  const crd = backendCrd(builtinPlugins()) as any;
  const version = crd.spec.versions[0];
  const root = version.schema.openAPIV3Schema;

  test('is a v1 CustomResourceDefinition of backends.gateway.kgateway.dev, v1alpha1, namespaced', () => {
    expect(crd).toMatchObject({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'backends.gateway.kgateway.dev' },
      spec: {
        group: 'gateway.kgateway.dev',
        scope: 'Namespaced',
        names: { kind: 'Backend', plural: 'backends', singular: 'backend', listKind: 'BackendList' },
      },
    });
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
  });

  test('the structural check itself catches what the apiserver refuses', () => {
    const bad = {
      type: 'object',
      properties: { a: {}, n: { type: 'number', exclusiveMinimum: 0 } },
      additionalProperties: false,
      oneOf: [{ type: 'object', required: ['b'] }],
      $defs: {},
    };
    expect(structuralProblems(bad, 's')).toEqual([
      's: keyword $defs is not allowed',
      's: properties and additionalProperties together',
      's.properties.a: no type',
      's.properties.n: exclusiveMinimum must be a boolean in OpenAPI v3.0',
      's.oneOf[0]: type is not allowed inside a junctor',
      's.oneOf[0]: b is not declared in the surrounding properties',
    ]);
  });

  test('its openAPIV3Schema is structural', () => {
    expect(structuralProblems(root)).toEqual([]);
    expect(JSON.stringify(root)).not.toMatch(/"\$(ref|defs|schema|id)"|"const"/);
  });

  test('its spec schema accepts every example Backend and rejects two type keys', () => {
    const validate = compileOpenApi(root.properties.spec);
    for (const { where, spec } of exampleSpecs()) expect({ where, ok: validate(spec), errors: validate.errors }).toEqual({ where, ok: true, errors: null });
    expect(validate({ ...staticSpec, aws: { lambda } })).toBe(false);
    expect(validate({})).toBe(false);
    expect(validate({ aws: { lambda, ec2: {} } })).toBe(false);
    expect(validate({ type: 'AWS', ...staticSpec })).toBe(false);
  });

  test('variants share one structural object; a custom key appears', () => {
    const spec = backendSpecStructuralSchema([staticPlugin(), toyPlugin, variantA, variantB]) as any;
    expect(Object.keys(spec.properties)).toEqual(['type', 'static', 'toy', 'cloud']);
    expect(spec.properties.cloud).toMatchObject({ type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] });
    expect(Object.keys(spec.properties.cloud.properties)).toEqual(['region', 'a', 'b']);
    expect(structuralProblems(spec, 'spec')).toEqual([]);
    // The recursive part cannot be inlined: it is left open rather than refused.
    expect(spec.properties.cloud.properties.a.properties.tree.properties.children.items).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
  });
});

describe('toStructural', () => {
  const structural = (schema: z.ZodType) => toStructural(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);

  test('rewrites what CRDs refuse', () => {
    const out = structural(
      z.strictObject({
        nullable: z.string().nullable(),
        literal: z.literal('only'),
        literals: z.union([z.literal('a'), z.literal('b')]),
        intOrString: z.union([z.number().int(), z.string()]),
        above: z.number().gt(0),
        labels: z.record(z.string(), z.string()),
        anything: z.unknown(),
        mixed: z.union([z.string(), z.strictObject({ x: z.number() })]),
        lookahead: z.string().regex(/^(?!x)/),
        email: z.email(),
        tags: z.array(z.string()),
      }),
    ) as any;
    expect(out.properties).toEqual({
      nullable: { type: 'string', nullable: true },
      literal: { type: 'string', enum: ['only'] },
      literals: { type: 'string', enum: ['a', 'b'] },
      intOrString: { 'x-kubernetes-int-or-string': true },
      above: { type: 'number', minimum: 0, exclusiveMinimum: true },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      anything: { 'x-kubernetes-preserve-unknown-fields': true },
      mixed: { 'x-kubernetes-preserve-unknown-fields': true },
      lookahead: { type: 'string' },
      email: expect.objectContaining({ type: 'string', format: 'email' }),
      tags: { type: 'array', items: { type: 'string' } },
    });
    expect(out).not.toHaveProperty('additionalProperties');
    expect(structuralProblems(out)).toEqual([]);
  });
});
