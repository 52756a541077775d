import { screenEnvelopes } from './envelope';
import { hookContext, type MemoRun, type TranslationHost, type TranslationMemo } from './memo';
import type { TranslateContext } from './plugin';
import { compareStrings, ResourceIndex } from './resources';

/** A memo that keeps nothing: every step is computed (`incremental: false`). */
export const freshMemo: TranslationMemo = {
  begin(input: readonly unknown[], host: TranslationHost): MemoRun {
    const screened = screenEnvelopes(input);
    const resources = new ResourceIndex(screened.objects);
    const values = new Map<string, unknown>();
    const ctx: TranslateContext = hookContext(resources, host, <T>(key: string, compute: (ctx: TranslateContext) => T): T => {
      // One lookup when the value is there, the usual case (several steps share one value).
      const known = values.get(key);
      if (known !== undefined || values.has(key)) return known as T;
      const value = compute(ctx);
      values.set(key, value);
      return value;
    });
    return {
      screened,
      resources,
      deltaNext: false,
      ctx,
      backend: (_backend, compute) => compute(ctx),
      extraClusters: (_plugin, compute) => compute(ctx),
      extraCluster: (_plugin, _extra, compute) => compute(ctx),
      statuses: (_plugin, compute) => compute(ctx),
      sorted: (_list, items, nameOf) => items.sort((a, b) => compareStrings(nameOf(a), nameOf(b))),
      end() {},
    };
  },
};
