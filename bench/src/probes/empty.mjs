/* global performance, process */
// Floor: a Node process that imports nothing.
const t0 = performance.now();
const t1 = performance.now();
process.stdout.write(JSON.stringify({ bootMs: t0, importMs: t1 - t0, constructMs: 0, rssMiB: process.memoryUsage().rss / 2 ** 20 }));
