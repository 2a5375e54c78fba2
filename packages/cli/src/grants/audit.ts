/**
 * `grants audit`: each machine-to-machine application's Management API grant against recorded usage —
 * the scopes it holds but no recorded call needs, calls its grant no longer covers, and applications no
 * recorded call used. Pure: tenant apps and usage in, report out.
 */
import type { UsageData } from '@scopebound/management/usage';
import type { TenantApp } from './tenant';

export interface AppAudit {
  readonly clientId: string;
  readonly name: string;
  readonly granted: readonly string[];
  /** Scopes recorded calls served by this application needed. */
  readonly used: readonly string[];
  readonly overGranted: readonly string[];
  /** Recorded calls this application served that its grant no longer covers. */
  readonly uncovered: readonly string[];
  readonly unused: boolean;
}

export interface AuditReport {
  readonly apps: readonly AppAudit[];
  /** True when some application that serves recorded calls holds a scope none of them needs. */
  readonly overGranted: boolean;
}

export function auditGrants(apps: readonly TenantApp[], usage: UsageData): AuditReport {
  const out = apps
    .filter((app) => app.grant !== undefined)
    .map((app): AppAudit => {
      const granted = app.grant!.scopes;
      const held = new Set(granted);
      const used = new Set<string>();
      const uncovered: string[] = [];
      const served = usage.calls.filter((c) => c.clients.includes(app.clientId));
      for (const call of served) {
        const alt = call.alternatives.find((a) => a.every((s) => held.has(s)));
        if (alt) for (const s of alt) used.add(s);
        else uncovered.push(call.label ? `${call.operation} (${call.label})` : call.operation);
      }
      const unused = served.length === 0;
      return {
        clientId: app.clientId,
        name: app.name,
        granted,
        used: [...used].sort(),
        overGranted: unused ? [] : granted.filter((s) => !used.has(s)),
        uncovered: [...new Set(uncovered)].sort(),
        unused,
      };
    });
  return { apps: out, overGranted: out.some((a) => a.overGranted.length > 0) };
}

export function describeAudit(report: AuditReport): string[] {
  const lines: string[] = [];
  for (const a of report.apps) {
    const head = `${a.name || a.clientId} (${a.clientId}): ${a.granted.length} scope${a.granted.length === 1 ? '' : 's'} granted`;
    if (a.unused) {
      lines.push(`? ${head}; no recorded call used it (remove its grant if nothing else does)`);
      continue;
    }
    const verdict = a.overGranted.length ? `! ${head}, ${a.used.length} used; over-granted: ${a.overGranted.join(' ')}` : `✓ ${head}, all used`;
    lines.push(verdict);
    if (a.uncovered.length) lines.push(`    not covered by its grant any more: ${a.uncovered.join(', ')}`);
  }
  lines.push(report.overGranted ? 'over-granted: yes (run `scopebound grants plan` and `grants apply` to right-size)' : 'over-granted: no');
  return lines;
}
