/** Reading a grants plan back (for `grants apply`): validated once, with errors that name the bad entry. */
import { InvalidOptionError, validateScopes } from '@scopebound/token';
import { PLAN_FORMAT, type GrantPlan, type PoolMember } from './plan';

export function parsePlan(value: unknown, source: string): GrantPlan {
  const fail = (where: string, what: string): never => {
    throw new InvalidOptionError(source, `${where} ${what}. Make the plan again with \`scopebound grants plan --usage FILE --out ${source}\`.`);
  };
  const doc = value as Record<string, unknown> | null;
  if (typeof doc !== 'object' || doc === null || doc.format !== PLAN_FORMAT) fail('the document', `is not a grants plan (expected "format": "${PLAN_FORMAT}")`);
  if (doc!.version !== 1) fail('version', `${JSON.stringify(doc!.version)} is not supported`);
  if (!Array.isArray(doc!.members) || doc!.members.length === 0) fail('members', 'must list at least one application');
  const ids = new Set<string>();
  const members = (doc!.members as unknown[]).map((raw, i): PoolMember => {
    const m = raw as Record<string, unknown> | null;
    const where = `members[${i}]`;
    if (typeof m !== 'object' || m === null) return fail(where, 'must be an object');
    if (typeof m.id !== 'string' || !/^[a-z0-9-]{1,64}$/i.test(m.id)) fail(`${where}.id`, 'must be letters, digits and hyphens (at most 64)');
    if (ids.has(m.id as string)) fail(`${where}.id`, `repeats ${JSON.stringify(m.id)}`);
    ids.add(m.id as string);
    if (typeof m.name !== 'string' || m.name.trim() === '' || m.name.length > 128) fail(`${where}.name`, 'must be a non-empty name of at most 128 characters');
    if (!Array.isArray(m.scopes) || m.scopes.length === 0) fail(`${where}.scopes`, 'must list at least one scope');
    let scopes: string[] = [];
    try {
      scopes = validateScopes(m.scopes as string[]);
    } catch (error) {
      fail(`${where}.scopes`, `has a bad scope: ${(error as Error).message}`);
    }
    const serves = Array.isArray(m.serves) ? (m.serves as PoolMember['serves']) : [];
    return { id: m.id as string, name: m.name as string, scopes, serves };
  });
  const grant = [...new Set(members.flatMap((m) => m.scopes))].sort();
  const today = Array.isArray(doc!.today) ? (doc!.today as string[]).filter((s) => typeof s === 'string') : [];
  return { format: PLAN_FORMAT, version: 1, grant, today, members };
}
