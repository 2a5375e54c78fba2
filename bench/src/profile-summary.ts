/**
 * Summarise a `.cpuprofile`: top functions by self time and by package (`tsx src/profile-summary.ts FILE [N]`).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, nArg = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const p = /packages\/([^/]+)\//.exec(url);
  if (p) return `@scopebound/${p[1]}`;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return url ? url.split('/').slice(-2).join('/') : '(native/vm)';
}

const fnSelf = new Map<string, number>();
const pkgSelf = new Map<string, number>();
const pkgIncl = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + t);
  const pkg = where(n.callFrame.url);
  pkgSelf.set(pkg, (pkgSelf.get(pkg) ?? 0) + t);
  // Inclusive: every package on the stack gets the sample once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const p = where(byId.get(cur)!.callFrame.url);
    if (!seen.has(p)) {
      seen.add(p);
      pkgIncl.set(p, (pkgIncl.get(p) ?? 0) + t);
    }
  }
}
const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
console.log('\n-- self time by function');
for (const [k, t] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg))) console.log(pct(t), k);
console.log('\n-- self time by package');
for (const [k, t] of [...pkgSelf].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(pct(t), k);
console.log('\n-- inclusive time by package (on the stack)');
for (const [k, t] of [...pkgIncl].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(pct(t), k);
