import type { InjectionToken } from 'tsyringe';

/** What a translator asks of its container: whether a token has a value, and the value. */
export interface TokenLookup {
  isRegistered<T>(token: InjectionToken<T>, recursive?: boolean): boolean;
  resolve<T>(token: InjectionToken<T>): T;
}

/**
 * The `provide` values of a translator made without a host container. A fresh tsyringe container
 * holding only these answers exactly the same (the last value given for a token wins, an unknown
 * token is not registered), so tsyringe is not loaded for it (docs/performance.md, "CLI start-up").
 */
export class ProvidedValues implements TokenLookup {
  private readonly values = new Map<InjectionToken<unknown>, unknown>();

  constructor(provide: ReadonlyArray<readonly [InjectionToken<unknown>, unknown]>) {
    for (const [token, value] of provide) this.values.set(token, value);
  }

  isRegistered<T>(token: InjectionToken<T>): boolean {
    return this.values.has(token);
  }

  resolve<T>(token: InjectionToken<T>): T {
    return this.values.get(token) as T;
  }
}
