import { types } from 'node:util';
import { generate } from './scripts/bench/generate';
const objs = generate(Number(process.argv[2] ?? 30000)).objects as object[];
let budget = 0;
function plainTree(value: object, depth: number): boolean | undefined {
  if (--budget < 0 || depth > 64) return undefined;
  if (types.isProxy(value)) return false;
  const keys = Reflect.ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, keys[i]!)!;
    if (descriptor.get || descriptor.set) return false;
    const child: unknown = descriptor.value;
    if (typeof child === 'object' && child !== null) { const plain = plainTree(child, depth + 1); if (plain !== true) return plain; }
  }
  return true;
}
const lookupGetter = (Object.prototype as any).__lookupGetter__ as (this: object, k: PropertyKey) => unknown;
const lookupSetter = (Object.prototype as any).__lookupSetter__ as (this: object, k: PropertyKey) => unknown;
function plainTree2(value: object, depth: number): boolean | undefined {
  if (--budget < 0 || depth > 64) return undefined;
  if (types.isProxy(value)) return false;
  const keys = Reflect.ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__') { const d = Reflect.getOwnPropertyDescriptor(value, key)!; if (d.get || d.set) return false; }
    else if (lookupGetter.call(value, key) !== undefined || lookupSetter.call(value, key) !== undefined) return false;
    const child: unknown = (value as any)[key];
    if (typeof child === 'object' && child !== null) { const plain = plainTree2(child, depth + 1); if (plain !== true) return plain; }
  }
  return true;
}
function plainTree3(value: object, depth: number): boolean | undefined {
  if (--budget < 0 || depth > 64) return undefined;
  if (types.isProxy(value)) return false;
  if (Array.isArray(value)) {
    // arrays: own keys are the indices and length
    const keys = Reflect.ownKeys(value);
    if (keys.length !== value.length + 1) return plainTree(value, depth);
    for (let i = 0; i < value.length; i++) {
      if (lookupGetter.call(value, i) !== undefined || lookupSetter.call(value, i) !== undefined) return false;
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null) { const plain = plainTree3(child, depth + 1); if (plain !== true) return plain; }
    }
    return true;
  }
  const keys = Reflect.ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__') { const d = Reflect.getOwnPropertyDescriptor(value, key)!; if (d.get || d.set) return false; }
    else if (lookupGetter.call(value, key) !== undefined || lookupSetter.call(value, key) !== undefined) return false;
    const child: unknown = (value as any)[key];
    if (typeof child === 'object' && child !== null) { const plain = plainTree3(child, depth + 1); if (plain !== true) return plain; }
  }
  return true;
}
for (const [name, f] of [['desc', plainTree], ['lookup', plainTree2], ['lookup+arr', plainTree3], ['desc', plainTree], ['lookup', plainTree2], ['lookup+arr', plainTree3]] as const) {
  const m0 = process.memoryUsage().heapUsed; let gcBefore = 0;
  const t = performance.now(); let c = 0;
  for (let r = 0; r < 3; r++) for (const o of objs) { budget = 4096; if (f(o, 0)) c++; }
  console.log(name, (performance.now() - t).toFixed(1), 'ms for 3 passes', c);
}
