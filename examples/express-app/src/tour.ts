/** The scripted tour: a few requests against the running app, each with the tokens it minted or reused. */
import type { TokenLog } from './token-log';

export interface TourStep {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: Readonly<Record<string, string>>;
  readonly note: string;
}

export interface TourResult {
  readonly step: TourStep;
  readonly status: number;
  readonly tokens: readonly string[];
}

export interface TourOptions {
  /** The user the profile, plan and role steps act on. */
  readonly userId: string;
  /** Include the steps that change data (plan, role). Default true. */
  readonly writes?: boolean;
  readonly roleId?: string;
}

export function tourSteps(options: TourOptions): TourStep[] {
  const user = `/users/${encodeURIComponent(options.userId)}`;
  const writes = options.writes ?? true;
  return [
    { method: 'GET', path: '/', note: 'home page: calls nothing, so nothing is minted' },
    { method: 'GET', path: '/users?per_page=5', note: 'admin list' },
    { method: 'GET', path: '/users?q=ada&per_page=5', note: 'search' },
    { method: 'GET', path: '/users?page=1&per_page=5', note: 'next page' },
    { method: 'GET', path: user, note: 'profile: user_metadata, plan, roles' },
    ...(writes
      ? ([
          { method: 'POST', path: `${user}/plan`, body: { plan: 'pro' }, note: 'plan change: app_metadata only' },
          { method: 'POST', path: `${user}/plan`, body: { plan: 'enterprise' }, note: 'plan change again' },
          { method: 'POST', path: `${user}/roles`, body: { role: options.roleId ?? 'rol_demo_support' }, note: 'role assignment' },
        ] as const)
      : []),
    { method: 'GET', path: user, note: 'profile again' },
    { method: 'GET', path: '/users?per_page=5', note: 'admin list again' },
    { method: 'GET', path: '/demo/refused', note: 'a call outside the route allow-list: refused before any network traffic' },
  ];
}

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));

/** Run the steps one after another (so each step's token events are its own) and print a line per step. */
export async function runTour(baseUrl: string, steps: readonly TourStep[], log: TokenLog, write: (line: string) => void): Promise<TourResult[]> {
  const results: TourResult[] = [];
  log.take();
  for (const step of steps) {
    const res = await fetch(baseUrl + step.path, {
      method: step.method,
      headers: { accept: 'application/json', ...(step.body ? { 'content-type': 'application/json' } : {}) },
      ...(step.body ? { body: JSON.stringify(step.body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    const tokens = log.take();
    results.push({ step, status: res.status, tokens });
    write(`  ${pad(step.method, 5)}${pad(step.path.length > 44 ? `${step.path.slice(0, 41)}...` : step.path, 46)}${res.status}  ${step.note}`);
    for (const t of tokens.length > 0 ? [...new Set(tokens)] : ['no token used']) write(`  ${' '.repeat(51)}↳ ${t}`);
  }
  return results;
}

/** The closing table: one line per token minted, with how often the cache served it afterwards. */
export function tokenSummary(log: TokenLog): string[] {
  const rows = log.tokens();
  if (rows.length === 0) return ['  (no tokens were minted)'];
  return rows.map((r) => `  ${pad(`[${r.granted.join(' ')}]`, 50)}${pad(r.clientId, 24)}cache hits: ${r.hits}`);
}
