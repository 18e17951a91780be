// Fails the build when the Python wheel is missing or does not carry the cdk_durable_workflow module.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const wheels = readdirSync('dist/python').filter((f) => f.endsWith('.whl'));
if (wheels.length !== 1) {
  throw new Error(`expected one wheel in dist/python, found ${JSON.stringify(wheels)}`);
}
const listing = execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-l', `dist/python/${wheels[0]}`], { encoding: 'utf8' });
for (const required of ['cdk_durable_workflow/__init__.py', 'cdk_durable_workflow/_jsii/']) {
  if (!listing.includes(required)) {
    throw new Error(`wheel ${wheels[0]} lacks ${required}`);
  }
}
console.log(`wheel ok: dist/python/${wheels[0]}`);
