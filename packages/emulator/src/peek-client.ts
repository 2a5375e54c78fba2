/** Which client a request claims to be, read before any verification: for fault matching only, never trusted. */
import { decodeJwt } from 'jose';

/** From the token request (Basic auth, form or JSON body, assertion `iss`) or the bearer token's `azp`/`sub`. */
export async function peekClientId(request: Request, path: string): Promise<string | undefined> {
  try {
    if (path === '/oauth/token') {
      const basic = request.headers.get('authorization');
      if (basic?.startsWith('Basic ')) return decodeURIComponent(Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':')[0] ?? '');
      const text = await request.clone().text();
      const params = (request.headers.get('content-type') ?? '').includes('json')
        ? (JSON.parse(text) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(text));
      if (params.client_id) return params.client_id;
      if (params.client_assertion) return decodeJwt(params.client_assertion).iss;
      return undefined;
    }
    const auth = request.headers.get('authorization');
    if (!auth?.startsWith('Bearer ')) return undefined;
    const claims = decodeJwt(auth.slice(7));
    if (typeof claims.azp === 'string') return claims.azp;
    return typeof claims.sub === 'string' && claims.sub.endsWith('@clients') ? claims.sub.slice(0, -8) : undefined;
  } catch {
    return undefined;
  }
}
