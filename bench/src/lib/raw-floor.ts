/**
 * The floor every per-call bench is measured against: a token minted once by hand from the fixed server, and
 * what a raw undici request for one user needs (headers, path, a keep-alive agent).
 */
import { Agent } from 'undici';

export interface RawFloor {
  readonly headers: Record<string, string>;
  readonly path: string;
  readonly agent: Agent;
}

export async function rawFloor(origin: string, userId: string): Promise<RawFloor> {
  const tokenRes = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'raw', client_secret: 'raw-secret', audience: `${origin}/api/v2/` }),
  });
  const rawToken = ((await tokenRes.json()) as { access_token: string }).access_token;
  return {
    headers: { authorization: `Bearer ${rawToken}`, accept: 'application/json' },
    path: `/api/v2/users/${encodeURIComponent(userId)}`,
    agent: new Agent({ keepAliveTimeout: 10_000 }),
  };
}
