/**
 * The Redis store smoke (Node, Bun, Deno): two token providers sharing one `redisStore` over node-redis mint
 * once between them: the second reads the first's token from Redis.
 */
import { createClient } from 'redis';
import { redisStore } from '@scopebound/redis';
import { clientSecret, createTokenProvider, type TokenEvent } from '@scopebound/token';
import type { SmokeConfig, SmokeResult } from './smoke';

declare const Deno: { args: string[] } | undefined;
const args: string[] = typeof Deno !== 'undefined' ? Deno.args : (globalThis as unknown as { process: { argv: string[] } }).process.argv.slice(2);
const { redisUrl, prefix, ...config } = JSON.parse(atob(args[0] ?? '')) as SmokeConfig & { redisUrl: string; prefix: string };

const client = createClient({ url: redisUrl });
await client.connect();
const results: SmokeResult[] = [];
try {
  const events: string[] = [];
  const provider = () =>
    createTokenProvider({
      baseUrl: config.origin,
      audience: config.audience,
      credentials: clientSecret({ clientId: 'sb-demo-admin', clientSecret: config.secrets.admin }),
      store: redisStore({ client, prefix }),
      onEvent: (e: TokenEvent) => void events.push(e.type === 'hit' ? `hit:${e.source}` : e.type),
    });
  const a = await provider().getToken(['read:users']);
  const b = await provider().getToken(['read:users']);
  results.push({ name: 'redis: shared token', ok: a.value === b.value, detail: events });
} catch (e) {
  results.push({ name: 'redis: shared token', ok: false, detail: `${(e as Error).name}: ${(e as Error).message}` });
} finally {
  await client.quit();
}
console.log(`SMOKE ${JSON.stringify(results)}`);
