/** Validation of `domain`, `baseUrl` and `audience`: where tokens come from and who they are for. */
import { InvalidOptionError } from './errors';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A bare hostname: no scheme, path, credentials, port, whitespace or trailing dot. Returned lower-cased. */
export function validateDomain(value: unknown, option = 'domain'): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(option, 'must be the tenant hostname, e.g. "my-tenant.eu.auth0.com"');
  }
  const host = value.toLowerCase();
  const hint = 'give the bare hostname, e.g. "my-tenant.eu.auth0.com" (use `baseUrl` for a URL)';
  if (/\s/.test(value)) throw new InvalidOptionError(option, `contains whitespace; ${hint}`);
  if (host.includes('://')) throw new InvalidOptionError(option, `has a scheme; ${hint}`);
  if (host.includes('@')) throw new InvalidOptionError(option, `contains credentials ("@"); ${hint}`);
  if (host.includes('/') || host.includes('\\') || host.includes('?') || host.includes('#')) {
    throw new InvalidOptionError(option, `has a path, query or fragment; ${hint}`);
  }
  if (host.includes(':')) throw new InvalidOptionError(option, `has a port; ${hint}`);
  if (host.length > 253) throw new InvalidOptionError(option, 'is longer than 253 characters');
  const labels = host.split('.');
  if (labels.some((l) => !LABEL.test(l))) {
    throw new InvalidOptionError(option, `is not a valid hostname (letters, digits and hyphens in dot-separated labels); ${hint}`);
  }
  return host;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** An absolute http(s) URL without credentials, query or fragment; http only for loopback. Trailing "/" removed. */
export function validateBaseUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new InvalidOptionError('baseUrl', 'must be an absolute URL such as "https://my-tenant.eu.auth0.com" or "http://127.0.0.1:4010"');
  }
  if (/\s/.test(value)) throw new InvalidOptionError('baseUrl', 'contains whitespace');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionError('baseUrl', 'is not an absolute URL (e.g. "https://my-tenant.eu.auth0.com")');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOptionError('baseUrl', `must use https (got ${url.protocol})`);
  }
  if (url.username || url.password) throw new InvalidOptionError('baseUrl', 'must not contain credentials');
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    throw new InvalidOptionError('baseUrl', 'must not have a query or fragment');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InvalidOptionError('baseUrl', 'may use http only for a loopback host (127.0.0.1, ::1, localhost); use https');
  }
  return url;
}

export interface Endpoint {
  /** The tenant domain (audience host, assertion audience). */
  domain: string;
  audience: string;
  tokenUrl: string;
}

export function resolveEndpoint(options: { domain?: unknown; baseUrl?: unknown; audience?: unknown }): Endpoint {
  if (options.domain === undefined && options.baseUrl === undefined) {
    throw new InvalidOptionError('domain', 'is missing; pass the tenant hostname (or `baseUrl` for an emulator)');
  }
  const base = options.baseUrl === undefined ? undefined : validateBaseUrl(options.baseUrl);
  const domain = options.domain === undefined ? base!.host.toLowerCase() : validateDomain(options.domain);
  const prefix = base ? `${base.origin}${base.pathname.replace(/\/+$/, '')}` : `https://${domain}`;
  // With only a base URL (an emulator, a proxy) the audience is that origin's API; with a domain, the domain's.
  let audience = base && options.domain === undefined ? `${prefix}/api/v2/` : `https://${domain}/api/v2/`;
  if (options.audience !== undefined) {
    if (typeof options.audience !== 'string' || options.audience.length === 0 || /\s/.test(options.audience)) {
      throw new InvalidOptionError('audience', 'must be a non-empty string without whitespace');
    }
    audience = options.audience;
  }
  return { domain, audience, tokenUrl: `${prefix}/oauth/token` };
}
