/**
 * Fault injection. A rule matches requests by method, route template, operation name, client id or path,
 * fires with a probability drawn from its own seeded generator, for the next N matches, and/or within a
 * time window of the tenant clock; it answers a status/body, adds latency, drops the connection, or
 * corrupts the JSON body of the real answer.
 */
import type { Clock } from './clock';
import { EmulatorOptionError } from './errors';
import { seededRandom, type Random } from './rng';

export interface FaultMatch {
  /** HTTP method, e.g. `GET`. */
  method?: string;
  /** Route template with or without `/api/v2`, e.g. `/users/{id}`, or `/oauth/token`. */
  route?: string;
  /** Operation name from the table, e.g. `users.get` (`oauth.token` for the token endpoint). */
  operation?: string | readonly string[];
  /** Client id of the caller (token `azp`, or the token request's client). */
  clientId?: string;
  /** Concrete path prefix or pattern. */
  path?: string | RegExp;
}

export interface FaultRule {
  /** Assigned when absent. */
  id?: string;
  match?: FaultMatch;
  /** 0..1; drawn from a generator seeded with `seed` (default 1), so runs are reproducible. */
  probability?: number;
  seed?: number;
  /** Fire for the next N matching requests, then retire. */
  times?: number;
  /** Only between these instants (epoch ms on the tenant clock). */
  window?: { from?: number | Date; until?: number | Date };
  /** Answer this status (and body / headers) instead of the real answer. */
  status?: number;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Delay the answer (milliseconds). */
  latencyMs?: number;
  /** Drop the connection (HTTP host: socket destroyed; fetch: rejects with TypeError; msw: network error). */
  drop?: boolean;
  /** Return the real answer with a truncated, unparsable JSON body. */
  malformed?: boolean;
}

export interface FaultContext {
  method: string;
  path: string;
  route?: string;
  operation?: string;
  clientId?: string;
}

export interface FiredFault {
  rule: Readonly<FaultRule> & { id: string };
  kind: 'status' | 'latency' | 'drop' | 'malformed';
}

export interface FaultEngine {
  evaluate(ctx: FaultContext): FiredFault | undefined;
  set(rules: readonly FaultRule[]): void;
  add(rule: FaultRule): string;
  remove(id: string): boolean;
  clear(): void;
  list(): (FaultRule & { id: string; remaining?: number })[];
}

interface Active {
  rule: FaultRule & { id: string };
  random: Random;
  remaining?: number;
}

function toMs(v: number | Date | undefined): number | undefined {
  return v instanceof Date ? v.getTime() : v;
}

export function validateFault(rule: FaultRule, name = 'faults'): void {
  if (typeof rule !== 'object' || rule === null) throw new EmulatorOptionError(name, 'each rule must be an object');
  const kinds = [rule.status !== undefined, rule.latencyMs !== undefined, rule.drop === true, rule.malformed === true].filter(Boolean).length;
  if (kinds === 0) throw new EmulatorOptionError(name, 'a rule needs one of status, latencyMs, drop or malformed');
  if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 200 && rule.status <= 599)) {
    throw new EmulatorOptionError(`${name}.status`, 'must be an HTTP status between 200 and 599');
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new EmulatorOptionError(`${name}.probability`, 'must be between 0 and 1');
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) {
    throw new EmulatorOptionError(`${name}.times`, 'must be a positive integer');
  }
  if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0 && rule.latencyMs <= 600_000)) {
    throw new EmulatorOptionError(`${name}.latencyMs`, 'must be between 0 and 600000');
  }
}

function stripPrefix(route: string): string {
  return route.startsWith('/api/v2/') ? route.slice('/api/v2'.length) : route;
}

function matches(m: FaultMatch | undefined, ctx: FaultContext): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== ctx.method) return false;
  if (m.route && stripPrefix(m.route) !== ctx.route) return false;
  if (m.operation) {
    const ops = typeof m.operation === 'string' ? [m.operation] : m.operation;
    if (!ctx.operation || !ops.includes(ctx.operation)) return false;
  }
  if (m.clientId && m.clientId !== ctx.clientId) return false;
  if (m.path) {
    if (typeof m.path === 'string' ? !ctx.path.startsWith(m.path) : !m.path.test(ctx.path)) return false;
  }
  return true;
}

export function createFaultEngine(clock: Clock, initial: readonly FaultRule[] = []): FaultEngine {
  let active: Active[] = [];
  let seq = 0;
  const add = (rule: FaultRule): string => {
    validateFault(rule);
    const id = rule.id ?? `fault_${++seq}`;
    active.push({ rule: { ...rule, id }, random: seededRandom(rule.seed ?? 1), ...(rule.times !== undefined ? { remaining: rule.times } : {}) });
    return id;
  };
  for (const r of initial) add(r);
  return {
    add,
    set(rules) {
      for (const r of rules) validateFault(r);
      active = [];
      for (const r of rules) add(r);
    },
    remove(id) {
      const before = active.length;
      active = active.filter((a) => a.rule.id !== id);
      return active.length !== before;
    },
    clear() {
      active = [];
    },
    list: () => active.map((a) => ({ ...a.rule, ...(a.remaining !== undefined ? { remaining: a.remaining } : {}) })),
    evaluate(ctx) {
      const now = clock.now();
      for (const a of active) {
        const r = a.rule;
        const from = toMs(r.window?.from);
        const until = toMs(r.window?.until);
        if (from !== undefined && now < from) continue;
        if (until !== undefined && now >= until) continue;
        if (!matches(r.match, ctx)) continue;
        if (r.probability !== undefined && a.random() >= r.probability) continue;
        if (a.remaining !== undefined) {
          a.remaining -= 1;
          if (a.remaining <= 0) active = active.filter((x) => x !== a);
        }
        const kind = r.drop ? 'drop' : r.status !== undefined ? 'status' : r.malformed ? 'malformed' : 'latency';
        return { rule: r, kind };
      }
      return undefined;
    },
  };
}
