/**
 * The official SDK pointed at a loopback server. `auth0`'s ManagementClient always builds
 * `https://{domain}/...` URLs, so it gets a `fetch` (its documented option) that sends those requests to the
 * loopback origin instead; everything else (global fetch, its token provider, retries) is the SDK's own.
 */
import { ManagementClient } from 'auth0';

export const BENCH_DOMAIN = 'bench.example.com';

export function loopbackFetch(origin: string, init?: { dispatcher?: unknown }): typeof fetch {
  const prefix = `https://${BENCH_DOMAIN}`;
  return ((input: string | URL | Request, options?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = url.startsWith(prefix) ? origin + url.slice(prefix.length) : url;
    return fetch(target, init?.dispatcher ? ({ ...options, dispatcher: init.dispatcher } as RequestInit) : options);
  }) as typeof fetch;
}

export interface Auth0ClientOptions {
  origin: string;
  clientId: string;
  clientSecret: string;
  maxRetries?: number;
  dispatcher?: unknown;
}

export function auth0Client(o: Auth0ClientOptions): ManagementClient {
  return new ManagementClient({
    domain: BENCH_DOMAIN,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    fetch: loopbackFetch(o.origin, o.dispatcher ? { dispatcher: o.dispatcher } : undefined),
    ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
  } as ConstructorParameters<typeof ManagementClient>[0]);
}
