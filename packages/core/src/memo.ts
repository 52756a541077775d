import type { InjectionToken } from 'tsyringe';
import type { Screened } from './envelope';
import type { ExtraCluster, TranslateContext, TranslatorOptions } from './plugin';
import type { KubeObject, ResourceIndex } from './resources';
import type { BackendOutcome, StatusesOutcome, StepOutcome } from './result';

/**
 * The one seam between the translator and incremental reuse (docs/architecture.md, "The memo
 * seam"). The translator hands every step to a memo and never asks whether it was reused: a fresh
 * memo computes every step, a caching memo answers from earlier translations where it can. A memo
 * may keep results only when they are the same as computing again would give.
 */
export interface TranslationMemo {
  /** Starts one translation of `input`, which the memo screens (`screenEnvelopes`; a caching memo reuses the last screening). */
  begin(input: readonly unknown[], host: TranslationHost): MemoRun;
}

/** What the translator's container holds for a token. */
export type Provided<T> = { registered: true; value: T } | { registered: false };

/** What a memo gets from the translator to build the contexts that hooks see. */
export interface TranslationHost {
  readonly options: TranslatorOptions;
  /** Looks a token up in the translator's container. */
  lookup<T>(token: InjectionToken<T>): Provided<T>;
}

/** A computation of one step, given the context its hooks must read through. */
export type Step<T> = (ctx: TranslateContext) => T;

/** One translation, as a memo runs it. */
export interface MemoRun {
  /** The input as screened: the objects kept, the problems, the Backends defined twice. */
  readonly screened: Screened;
  /** The objects of this translation, for the translator's own reads (which Backends there are). */
  readonly resources: ResourceIndex;
  /**
   * When the memo knows what changed since its last translation (docs/performance.md,
   * "Re-translation driven by what changed"): the keys (`keyOf`) of the Backends whose outcome may
   * differ from last time's (changed, added, removed, or reading something that changed). Every
   * other Backend's outcome is the one it had. Undefined otherwise: then every step must be visited.
   */
  readonly changed?: ReadonlySet<string>;
  /** Whether the next translation may get `changed`: only then does the translator keep what a patch needs. */
  readonly deltaNext: boolean;
  /** A context for work no memo keeps (routing, which is cheap and reads every route anyway). */
  readonly ctx: TranslateContext;
  /** One Backend's step. */
  backend(backend: KubeObject, compute: Step<BackendOutcome>): BackendOutcome;
  /** One plugin's `clusters` hook. */
  extraClusters(plugin: string, compute: Step<readonly ExtraCluster[]>): readonly ExtraCluster[];
  /** One extra cluster composed with the feature plugins. */
  extraCluster(plugin: string, extra: ExtraCluster, compute: Step<StepOutcome>): StepOutcome;
  /** One plugin's `statuses` hook. */
  statuses(plugin: string, compute: Step<StatusesOutcome>): StatusesOutcome;
  /** `items` sorted by `nameOf` in code-unit order, stable (`list` names the list, for memos that remember orders). */
  sorted<T>(list: string, items: T[], nameOf: (item: T) => string): T[];
  /** The translation is over: what it did not use may be dropped. */
  end(): void;
}

/** The context hooks see, over `resources`, with `shared` values kept in `store`. */
export function hookContext(resources: TranslateContext['resources'], host: TranslationHost, shared: TranslateContext['shared']): TranslateContext {
  return {
    resources,
    options: host.options,
    resolve<T>(token: InjectionToken<T>, fallback: () => T): T {
      const provided = host.lookup(token);
      return provided.registered ? provided.value : fallback();
    },
    shared,
  };
}
