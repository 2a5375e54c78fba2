/** Entry for runtimes with a command line (Node, Bun, Deno): config as base64 JSON in argv, results as one JSON line on stdout. */
import { runSmoke, type SmokeConfig } from './smoke';

declare const Deno: { args: string[] } | undefined;
const args: string[] = typeof Deno !== 'undefined' ? Deno.args : (globalThis as unknown as { process: { argv: string[] } }).process.argv.slice(2);
const config = JSON.parse(atob(args[0] ?? '')) as SmokeConfig;
console.log(`SMOKE ${JSON.stringify(await runSmoke(config))}`);
