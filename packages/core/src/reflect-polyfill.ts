import { requireHere } from './lazy-require';

// reflect-metadata's global `Reflect.metadata`, which a host's tsyringe container needs (docs/architecture.md,
// "Wiring from a host's container"). It is CommonJS: required, not imported, for the reason in ./yaml-lib.
requireHere('reflect-metadata');
