/**
 * `scopebound grants plan | audit | apply`: least privilege on a real tenant, where Auth0 grants an
 * application's whole grant whatever scope is asked. Record usage → plan the minimal grant and a pool of
 * right-sized applications → apply it through the Management API (dry run first) → audit in CI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createManagementClient } from '@scopebound/management';
import { readUsageFile } from '@scopebound/management/usage';
import { describeStep, diffPlan, readSecret, runSteps, type Step } from '../grants/apply';
import { auditGrants, describeAudit } from '../grants/audit';
import { openCredentialsFile } from '../grants/credentials-out';
import { describePlan, planGrants } from '../grants/plan';
import { parsePlan } from '../grants/plan-file';
import { readTenantApps } from '../grants/tenant';
import { CliUsageError, type CliIO } from '../io';
import { connectionFrom, connectionOptions, type ConnectionArgs } from './connect';

export const grantsOptions = {
  ...connectionOptions,
  usage: { type: 'string' },
  plan: { type: 'string' },
  out: { type: 'string' },
  'max-apps': { type: 'string' },
  prefix: { type: 'string' },
  credentials: { type: 'string' },
  yes: { type: 'boolean' },
  prune: { type: 'boolean' },
  strict: { type: 'boolean' },
} as const;

export interface GrantsArgs extends ConnectionArgs {
  usage?: string;
  plan?: string;
  out?: string;
  'max-apps'?: string;
  prefix?: string;
  credentials?: string;
  yes?: boolean;
  prune?: boolean;
  strict?: boolean;
}

async function usageFrom(path: string | undefined) {
  if (!path) throw new CliUsageError('--usage FILE is required: the usage file your tests or staging recorded (createUsageRecorder + writeUsageFile).');
  const usage = await readUsageFile(path);
  if (usage.calls.length === 0) throw new CliUsageError(`${path} records no call (or does not exist): record usage first, e.g. by running your test suite with a usage recorder.`);
  return usage;
}

function tenantFrom(args: GrantsArgs, io: CliIO) {
  const { endpoint, tokens } = connectionFrom(args, io);
  const mgmt = createManagementClient({ ...endpoint, tokens });
  return { mgmt, audience: tokens.endpoint.audience, domain: tokens.endpoint.domain };
}

async function plan(args: GrantsArgs, io: CliIO): Promise<number> {
  const max = args['max-apps'] === undefined ? undefined : Number(args['max-apps']);
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new CliUsageError(`--max-apps must be a whole number ≥ 1, got "${args['max-apps']}".`);
  const result = planGrants(await usageFrom(args.usage), { maxApps: max, prefix: args.prefix });
  for (const line of describePlan(result)) io.out(line);
  const out = args.out ?? 'scopebound-grants-plan.json';
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  io.out(`wrote ${out}; review it, then \`scopebound grants apply --plan ${out}\` (a dry run until --yes)`);
  return 0;
}

async function audit(args: GrantsArgs, io: CliIO): Promise<number> {
  const usage = await usageFrom(args.usage);
  const { mgmt, audience } = tenantFrom(args, io);
  try {
    const report = auditGrants(await readTenantApps(mgmt, audience), usage);
    for (const line of describeAudit(report)) io.out(line);
    const unused = report.apps.some((a) => a.unused);
    return report.overGranted || (args.strict && unused) ? 1 : 0;
  } finally {
    await mgmt.close();
  }
}

async function apply(args: GrantsArgs, io: CliIO): Promise<number> {
  if (!args.plan) throw new CliUsageError('--plan FILE is required (made by `scopebound grants plan`).');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(args.plan, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`--plan ${args.plan}: not a readable JSON file (${(error as Error).message}).`);
  }
  const thePlan = parsePlan(json, args.plan);
  const { mgmt, audience, domain } = tenantFrom(args, io);
  try {
    const steps = diffPlan(thePlan, await readTenantApps(mgmt, audience), { prune: args.prune === true });
    for (const step of steps) io.out(describeStep(step));
    if (!args.yes) {
      io.out(`dry run: nothing was changed. Run again with --yes to apply ${steps.filter((s) => s.kind !== 'unchanged').length} change(s).`);
      return 0;
    }
    const path = args.credentials ?? 'scopebound-credentials.json';
    const creds = await openCredentialsFile(path, domain);
    const done: Step[] = [];
    try {
      await runSteps(mgmt, steps, audience, {
        created: (member, clientId, clientSecret) => creds.put({ clientId, clientSecret, grants: [...member.scopes], name: member.name, member: member.id }),
        done: (step) => done.push(step),
      });
      for (const step of steps) {
        if (step.kind === 'delete-app') await creds.drop(step.clientId);
        if (step.kind === 'create-app' || step.kind === 'delete-app') continue;
        const clientId = step.clientId ?? creds.entries().find((e) => e.member === step.member.id)?.clientId;
        if (!clientId) continue;
        const clientSecret = creds.secretOf(clientId) ?? (await readSecret(mgmt, clientId));
        await creds.put({ clientId, clientSecret, grants: [...step.member.scopes], name: step.member.name, member: step.member.id });
      }
    } catch (error) {
      io.err(`applied ${done.length} of ${steps.length} step(s):`);
      for (const step of steps) io.err(`  ${done.includes(step) ? 'done' : 'NOT DONE'}  ${describeStep(step)}`);
      io.err('Nothing applied is undone; fix the cause and run the same command again to finish (it picks up where it stopped).');
      throw error;
    }
    io.out(`applied ${steps.length} step(s); the pool's credentials are in ${path} (mode 0600). Load them with credentialsFromJson() from @scopebound/token.`);
    return 0;
  } finally {
    await mgmt.close();
  }
}

export async function grantsCommand(positionals: string[], args: GrantsArgs, io: CliIO): Promise<number> {
  const [sub, ...rest] = positionals;
  if (rest.length > 0) throw new CliUsageError(`grants ${sub} takes no positional arguments, got "${rest.join(' ')}".`);
  if (sub === 'plan') return plan(args, io);
  if (sub === 'audit') return audit(args, io);
  if (sub === 'apply') return apply(args, io);
  throw new CliUsageError('grants needs plan, audit or apply: `scopebound grants plan --usage FILE`, `grants audit --usage FILE`, `grants apply --plan FILE [--yes]`.');
}
