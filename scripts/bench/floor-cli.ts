import { readFileSync } from 'node:fs';
import type { KubeObject } from '@backendkit/core';
import { floorDocument } from './floor';
import type { Ec2InstanceJson } from './generate';

// The end-to-end floor (docs/performance.md): a plain Node.js process, bundled by the benchmark into
// one file with nothing of backendkit in it, that reads the same JSON input and instances file as
// `backendkit translate` and prints the same output, built by hand.
const [objectsFile, instancesFile] = process.argv.slice(2);
const list = JSON.parse(readFileSync(objectsFile!, 'utf8')) as { items: KubeObject[] };
const instances = (JSON.parse(readFileSync(instancesFile!, 'utf8')) as { Reservations: Array<{ Instances: Ec2InstanceJson[] }> }).Reservations.flatMap(
  (r) => r.Instances,
);
process.stdout.write(`${JSON.stringify(floorDocument({ objects: list.items, instances, counts: {} }), null, 2)}\n`);
