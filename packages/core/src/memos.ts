import { CachingMemo } from './caching-memo';
import { freshMemo } from './fresh-memo';
import type { TranslationMemo } from './memo';
import type { TranslatorOptions } from './plugin';

/** The memo a translator with these options uses (docs/architecture.md, "The memo seam"). */
export function memoFor(options: TranslatorOptions): TranslationMemo {
  return options.incremental === false ? freshMemo : new CachingMemo();
}
