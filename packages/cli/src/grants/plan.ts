/**
 * `planGrants(usage)`: the least grant that covers every recorded call, and a pool of right-sized
 * applications (one per distinct scope set the calls need, or fewer when `maxApps` says so), with how much
 * each shrinks against today's grant. Pure: usage in, plan out.
 */
import { createHash } from 'node:crypto';
import type { UsageData } from '@scopebound/management/usage';

export const PLAN_FORMAT = 'scopebound-grants-plan';

export interface PlanCall {
  readonly operation: string;
  readonly label: string;
  readonly count: number;
}

export interface PoolMember {
  /** Stable identity of the member: stored in the application's client_metadata. */
  readonly id: string;
  /** The application's name on the tenant. */
  readonly name: string;
  readonly scopes: readonly string[];
  readonly serves: readonly PlanCall[];
}

export interface GrantPlan {
  readonly format: typeof PLAN_FORMAT;
  readonly version: 1;
  /** Every scope the recorded calls need, together. */
  readonly grant: readonly string[];
  /** What the applications seen in the usage were granted (today's grant). */
  readonly today: readonly string[];
  readonly members: readonly PoolMember[];
}

export interface PlanOptions {
  /** Merge members until there are at most this many applications (default: one per distinct scope set). */
  maxApps?: number | undefined;
  /** Application name prefix (default "scopebound"). */
  prefix?: string | undefined;
}

type Group = { scopes: Set<string>; serves: PlanCall[] };

const keyOf = (scopes: Iterable<string>) => [...scopes].sort().join(' ');
const calls = (g: Group) => g.serves.reduce((n, c) => n + c.count, 0);

/**
 * One scope set per call: the narrowest alternative, unless another alternative is already needed anyway
 * (then the pool needs no extra scope for it).
 */
function chooseScopes(usage: UsageData): { scopes: readonly string[]; call: PlanCall }[] {
  const needed = new Set<string>();
  for (const c of usage.calls) if (c.alternatives.length === 1) for (const s of c.alternatives[0]!) needed.add(s);
  return usage.calls.map((c) => {
    const free = c.alternatives.find((alt) => alt.every((s) => needed.has(s)));
    const scopes = free ?? c.alternatives[0]!;
    for (const s of scopes) needed.add(s);
    return { scopes, call: { operation: c.operation, label: c.label, count: c.count } };
  });
}

/** Merge the two groups whose union adds the fewest scopes to the fewest calls. */
function mergeCheapest(groups: Group[]): void {
  let best: { i: number; j: number; cost: number } | undefined;
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const a = groups[i]!, b = groups[j]!;
      const union = new Set([...a.scopes, ...b.scopes]);
      const cost = (union.size - a.scopes.size) * calls(a) + (union.size - b.scopes.size) * calls(b);
      if (!best || cost < best.cost) best = { i, j, cost };
    }
  }
  const { i, j } = best!;
  const merged: Group = { scopes: new Set([...groups[i]!.scopes, ...groups[j]!.scopes]), serves: [...groups[i]!.serves, ...groups[j]!.serves] };
  groups.splice(j, 1);
  groups.splice(i, 1, merged);
}

/** A member's stable id: the pool's prefix and its scope set (two pools with the same scopes stay apart). */
export function memberId(prefix: string, scopes: readonly string[]): string {
  const slug = (text: string, max: number) => text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, max).replace(/-$/, '');
  const hash = createHash('sha256').update(`${prefix}\n${scopes.join(' ')}`).digest('hex').slice(0, 8);
  return [slug(prefix, 16), slug(scopes.join('-'), 36) || 'none', hash].filter(Boolean).join('-');
}

export function planGrants(usage: UsageData, options: PlanOptions = {}): GrantPlan {
  const prefix = options.prefix ?? 'scopebound';
  const byKey = new Map<string, Group>();
  for (const { scopes, call } of chooseScopes(usage)) {
    const key = keyOf(scopes);
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { scopes: new Set(scopes), serves: [] }));
    group.serves.push(call);
  }
  const groups = [...byKey.values()].sort((a, b) => (keyOf(a.scopes) < keyOf(b.scopes) ? -1 : 1));
  const max = options.maxApps;
  while (max !== undefined && groups.length > Math.max(1, max)) mergeCheapest(groups);
  const members = groups.map((g): PoolMember => {
    const scopes = [...g.scopes].sort();
    const id = memberId(prefix, scopes);
    return { id, name: `${prefix}: ${scopes.join(' ')}`.slice(0, 128), scopes, serves: g.serves };
  });
  const grant = [...new Set(members.flatMap((m) => m.scopes))].sort();
  const today = [...new Set(Object.values(usage.grants).flat())].sort();
  return { format: PLAN_FORMAT, version: 1, grant, today, members };
}

/** The plan as a person reads it: the grant, then each application with what it serves and how it shrinks. */
export function describePlan(plan: GrantPlan): string[] {
  const was = plan.today.length;
  const lines = [
    `minimal grant: ${plan.grant.length} scope${plan.grant.length === 1 ? '' : 's'}${was ? ` (today ${was})` : ''}: ${plan.grant.join(' ')}`,
    `pool: ${plan.members.length} application${plan.members.length === 1 ? '' : 's'}`,
  ];
  for (const m of plan.members) {
    const shrink = was ? `, ${was} → ${m.scopes.length} scope${m.scopes.length === 1 ? '' : 's'} (−${Math.round((1 - m.scopes.length / was) * 100)} %)` : '';
    lines.push(`  ${m.name}: ${m.scopes.join(' ')}${shrink}`);
    for (const c of m.serves) lines.push(`      serves ${c.operation}${c.label ? ` from ${c.label}` : ''} (${c.count} call${c.count === 1 ? '' : 's'})`);
  }
  return lines;
}
