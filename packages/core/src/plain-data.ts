/**
 * Objects that are known to be plain data (the loader's, and objects screened before): a later
 * translation of the same objects does not walk them again. Objects are treated as read-only once
 * given to a translation (docs/security.md), so what was plain stays plain.
 */
export const PLAIN_DATA = new WeakSet<object>();

/**
 * Whether `Object.prototype` holds no enumerable key. Walks that read keys with `for in` meet a
 * polluted prototype's keys too, so they take the slower, exact path unless this holds.
 */
export function cleanObjectPrototype(): boolean {
  for (const _ in Object.prototype) return false;
  return true;
}
