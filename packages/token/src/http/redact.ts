/**
 * Redaction, in one place for every Scopebound package: what a server sends back may echo a secret or a
 * token in any encoding, so errors keep only allow-listed response headers and every server-given text is
 * scrubbed of each known secret in every form it can come back in (raw, form/URL-encoded, JSON-escaped,
 * base64 of `id:secret` for HTTP basic auth) and of anything shaped like a JWT or a `Bearer …` token.
 */

export const REDACTED = '[redacted]';

/** Response headers an error may keep (names lower-case); `x-ratelimit-*` and `auth0-*-quota-*` by pattern. */
const ALLOWED_HEADERS = new Set(['retry-after', 'x-auth0-requestid', 'x-request-id', 'content-type', 'content-length', 'date']);
const ALLOWED_PATTERN = /^(x-ratelimit-[a-z-]+|auth0-[a-z-]+-quota-[a-z-]+)$/;

/** True when an error may keep response header `name`. */
export function allowedHeader(name: string): boolean {
  return ALLOWED_HEADERS.has(name) || ALLOWED_PATTERN.test(name);
}

/** Secrets shorter than this are not searched for (they would match ordinary text). */
const MIN_SECRET = 4;

/**
 * Every form in which `secret` can come back: raw, URL-encoded (both `%20` and form `+`), JSON-escaped, and
 * base64/base64url of itself and of `clientId:secret` (raw and form-encoded, as HTTP basic auth sends it).
 */
export function secretForms(secret: string, clientId?: string): string[] {
  if (secret.length < MIN_SECRET) return [];
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const forms = new Set([secret, encodeURIComponent(secret), form, JSON.stringify(secret).slice(1, -1)]);
  const b64 = (v: string) => {
    let binary = '';
    for (const byte of new TextEncoder().encode(v)) binary += String.fromCharCode(byte);
    const standard = btoa(binary);
    forms.add(standard);
    forms.add(standard.replace(/\+/g, '-').replace(/\//g, '_'));
  };
  b64(secret);
  if (clientId !== undefined) {
    b64(`${clientId}:${secret}`);
    b64(`${new URLSearchParams({ s: clientId }).toString().slice(2)}:${form}`);
  }
  for (const f of [...forms]) forms.add(f.replace(/=+$/, ''));
  // Longest first, so a form that contains another is replaced whole.
  return [...forms].filter((f) => f.length >= MIN_SECRET).sort((a, b) => b.length - a.length);
}

const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;

/** `text` with every form of every secret, every JWT and every `Bearer …`/`Basic …` credential replaced. */
export function redactText(text: string, secrets: readonly string[] = [], clientId?: string): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of secretForms(secret, clientId)) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out.replace(JWT, REDACTED).replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}

/** Allow-listed headers only, each value redacted like any server text. */
export function safeResponseHeaders(
  entries: Iterable<readonly [string, string]>,
  secrets: readonly string[] = [],
  clientId?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    if (allowedHeader(key)) out[key] = redactText(value, secrets, clientId);
  }
  return out;
}
