import { isDeepStrictEqual } from 'node:util';
import type { JsonObject } from '@bufbuild/protobuf';
import {
  createTranslator,
  loadText,
  acceptedKinds,
  type KindTable,
  type BackendPlugin,
  type CreateTranslatorOptions,
  type Diagnostic,
  type Fragment,
  type KubeObject,
  type ResourceStatus,
  type TranslationResult,
} from '@backendkit/core';
import { BACKEND_API_VERSIONS, backendClusterName, isPlainObject, refOf } from '@backendkit/core/helpers';
import { fail } from './fail';
import { deepFreeze, frozenCopy, isFrozenWrite, mutationError } from './freeze';

/** A Backend as a test writes it: a full object, or just what differs from a default one. */
export type BackendInput = string | KubeObject | { spec: unknown; metadata?: { name?: string; namespace?: string }; apiVersion?: string };

export interface RunPluginOptions extends Omit<CreateTranslatorOptions, 'plugins'> {
  /** Other objects the translation sees (Services, Secrets, ...): YAML text or objects. */
  resources?: string | readonly KubeObject[];
  /**
   * Other plugins to register next to the one under test: type plugins a feature plugin needs a
   * Backend of, or feature plugins whose merge with yours you want to see.
   */
  plugins?: readonly BackendPlugin[];
  /** `namespace/name` of the Backend to report on, when the input holds several. */
  backend?: string;
  /** File name used in diagnostics for text input. */
  file?: string;
}

export interface PluginRun {
  /** The Backend reported on. */
  backend: KubeObject;
  /** What the plugin's `translate` (or `extend`) returned for it; absent when it was never called. */
  fragment?: Fragment;
  /** The validated spec (defaults applied) that `translate` received. */
  spec?: unknown;
  /** Every diagnostic about this Backend (validation, plugin, merge, strict output), plus load problems. */
  diagnostics: Diagnostic[];
  /** The final cluster as core composes it, in Envoy proto3 JSON; absent when the Backend is invalid. */
  cluster?: JsonObject;
  /** The final ClusterLoadAssignment (EDS clusters), in proto3 JSON. */
  assignment?: JsonObject;
  /** The Backend's status (`Accepted`, plus any plugin conditions). */
  status: ResourceStatus;
  /** The whole translation, for anything else. */
  result: TranslationResult;
}

/** A Backend object around `spec`, named `test` in `default` unless told otherwise. */
export function makeBackend(spec: unknown, metadata: { name?: string; namespace?: string } = {}): KubeObject {
  return {
    apiVersion: BACKEND_API_VERSIONS[0],
    kind: 'Backend',
    metadata: { name: metadata.name ?? 'test', namespace: metadata.namespace ?? 'default' },
    spec,
  };
}

/**
 * Runs ONE plugin on one Backend through the real core pipeline (validation with its schema, the
 * exactly-one rule, merge, strict Envoy parsing) with no other plugin registered unless you add
 * some, and hands back both what the plugin returned and what core made of it.
 */
export function runPlugin(plugin: BackendPlugin, input: BackendInput, options: RunPluginOptions = {}): PluginRun {
  const { resources, plugins = [], backend: wanted, file = 'input.yaml', ...translatorOptions } = options;
  const loadDiagnostics: Diagnostic[] = [];
  const kinds = acceptedKinds([plugin, ...plugins]);
  // Every hook sees frozen objects: loaded ones are runPlugin's own, objects given in code are copied first.
  const objects = [...toObjects(input, file, loadDiagnostics, kinds), ...toObjects(resources ?? [], 'resources.yaml', loadDiagnostics, kinds)].map(deepFreeze);
  const backend = pickBackend(objects, typeof input === 'string' ? undefined : objects[0], wanted, loadDiagnostics);
  const target = refOf(backend);
  const clusterName = backendClusterName(target.namespace, target.name);

  const seen: { fragment?: Fragment; spec?: unknown } = {};
  // The first write to a frozen input: the translator turns a throwing hook into a diagnostic, so
  // it is kept here and thrown once the translation is over.
  let mutation: Error | undefined;
  const guard = <R>(hook: string, run: () => R): R => {
    try {
      return run();
    } catch (error) {
      if (isFrozenWrite(error)) mutation ??= mutationError(plugin.name, hook, error);
      throw error;
    }
  };
  const spy: BackendPlugin = Object.create(plugin);
  let disagreement: Error | undefined;
  if (plugin.wellFormed && plugin.schema) {
    // A quick check must never be wider than the schema: what it vouches for, the schema accepts
    // and outputs the same (core then skips the schema for it).
    spy.wellFormed = (value) => {
      const quick = plugin.wellFormed!.call(plugin, value);
      if (quick !== undefined) {
        const parsed = plugin.schema!.safeParse(value);
        if (!parsed.success || !isDeepStrictEqual(parsed.data, quick)) {
          disagreement ??= new Error(
            `plugin "${plugin.name}": wellFormed vouched for ${JSON.stringify(value)}, which its schema ${parsed.success ? `reads as ${JSON.stringify(parsed.data)}` : 'refuses'}`,
          );
        }
      }
      return quick;
    };
  }
  if (plugin.translate) {
    spy.translate = (spec, ctx) => {
      const frozenSpec = frozenCopy(spec);
      const fragment = guard('translate', () => plugin.translate!.call(plugin, frozenSpec, ctx));
      if (ctx.clusterName === clusterName) Object.assign(seen, { spec: frozenSpec, fragment });
      return fragment;
    };
  }
  if (plugin.extend) {
    spy.extend = (clusterTarget, ctx) => {
      // The type plugin's fragment is copied, not frozen in place: core goes on to merge it.
      const frozenTarget = Object.freeze({ ...clusterTarget, fragment: frozenCopy(clusterTarget.fragment) });
      const fragment = guard('extend', () => plugin.extend!.call(plugin, frozenTarget, ctx));
      if (clusterTarget.clusterName === clusterName) seen.fragment = fragment;
      return fragment;
    };
  }
  if (plugin.clusters) spy.clusters = (ctx) => guard('clusters', () => plugin.clusters!.call(plugin, ctx));

  const result = createTranslator({ ...translatorOptions, plugins: [spy, ...plugins] }).translate(objects);
  if (mutation) throw mutation;
  if (disagreement) throw disagreement;
  const same = (d: Diagnostic) => d.resource?.kind === 'Backend' && d.resource.namespace === target.namespace && d.resource.name === target.name;
  const cluster = result.clusters.find((c) => c.name === clusterName);
  const assignment = result.assignments.find((a) => a.clusterName === clusterName);
  const status = result.statuses.find((s) => s.namespace === target.namespace && s.name === target.name)!;
  return {
    backend,
    ...seen,
    diagnostics: [...loadDiagnostics, ...result.diagnostics.filter(same)],
    ...(cluster ? { cluster } : {}),
    ...(assignment ? { assignment } : {}),
    status,
    result,
  };
}

function toObjects(input: BackendInput | readonly KubeObject[], file: string, diagnostics: Diagnostic[], kinds: KindTable): KubeObject[] {
  if (typeof input === 'string') {
    const loaded = loadText(input, { file, kinds });
    diagnostics.push(...loaded.diagnostics);
    return loaded.objects;
  }
  if (Array.isArray(input)) return (input as readonly KubeObject[]).map((o) => copied(o));
  const object = input as Exclude<BackendInput, string>;
  if ('kind' in object && isPlainObject(object.metadata)) {
    // Objects built in code may leave the namespace out, as YAML may.
    const kube = copied(object as KubeObject);
    return [{ ...kube, metadata: { ...kube.metadata, namespace: kube.metadata.namespace ?? 'default' } }];
  }
  const built = makeBackend(copied(object.spec), object.metadata);
  return [object.apiVersion ? { ...built, apiVersion: object.apiVersion } : built];
}

/** A deep copy of an object the test built, so that freezing it leaves the test's own untouched. */
function copied<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function pickBackend(objects: readonly KubeObject[], given: KubeObject | undefined, wanted: string | undefined, load: readonly Diagnostic[]): KubeObject {
  const backends = objects.filter((o) => o.kind === 'Backend');
  const found = wanted
    ? backends.find((b) => `${b.metadata.namespace}/${b.metadata.name}` === wanted)
    : (given ?? (backends.length === 1 ? backends[0] : undefined));
  if (found) return found;
  const names = backends.map((b) => `${b.metadata.namespace}/${b.metadata.name}`);
  const loadProblems = load.length ? `\nload problems:\n${load.map((d) => `  ${d.message}`).join('\n')}` : '';
  if (wanted) return fail(`runPlugin: no Backend ${wanted} in the input (found: ${names.join(', ') || 'none'})${loadProblems}`);
  return fail(
    backends.length === 0
      ? `runPlugin: the input holds no Backend${loadProblems}`
      : `runPlugin: the input holds ${backends.length} Backends (${names.join(', ')}); pick one with { backend: 'namespace/name' }`,
  );
}
