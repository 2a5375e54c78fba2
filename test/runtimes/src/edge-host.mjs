/* global process, atob, console */
// Child process for edge-runtime: evaluates the bundle in an EdgeRuntime VM, POSTs the config, prints the results.
import { readFileSync } from 'node:fs';
import { EdgeRuntime } from 'edge-runtime';

const [bundle, config] = process.argv.slice(2);
const runtime = new EdgeRuntime({ initialCode: readFileSync(bundle, 'utf8') });
const res = await runtime.dispatchFetch('http://edge.local/', { method: 'POST', body: atob(config) });
console.log(`SMOKE ${await res.text()}`);
