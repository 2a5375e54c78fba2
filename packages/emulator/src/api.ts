/** The `/api/v2/*` pipeline: route → verify token → query check → body parse → scopes → validate → handler. */
import { authenticate } from './auth';
import { ApiProblem, apiError, json, type HeadersRecord } from './http';
import { queryError } from './paginate';
import type { Principal } from './principal';
import { blacklistsHandlers } from './resources/blacklists';
import { clientsHandlers } from './resources/clients';
import { connectionsHandlers } from './resources/connections';
import { genericHandler } from './resources/generic';
import { jobsHandlers } from './resources/jobs';
import { logsHandlers } from './resources/logs';
import { organizationClientsHandlers } from './resources/organization-clients';
import { organizationsHandlers } from './resources/organizations';
import { resourceServersHandlers } from './resources/resource-servers';
import { rolesHandlers } from './resources/roles';
import type { HandlerTable, OpHandler, OpRequest } from './resources/types';
import { usersHandlers } from './resources/users';
import type { RouteMatch } from './router';
import { bodySchemas, definitions } from './schemas';
import { checkScopes } from './scope-check';
import type { Tenant } from './tenant';
import { validate } from './validate';

export const HANDLERS: HandlerTable = {
  ...usersHandlers,
  ...rolesHandlers,
  ...clientsHandlers,
  ...organizationsHandlers,
  ...organizationClientsHandlers,
  ...connectionsHandlers,
  ...resourceServersHandlers,
  ...logsHandlers,
  ...blacklistsHandlers,
  ...jobsHandlers,
};

/** Operation names answered by a dedicated stateful handler (the rest use the generic store). */
export const STATEFUL_OPERATIONS: readonly string[] = Object.freeze(Object.keys(HANDLERS).sort());

export interface ApiOutcome {
  response: Response;
  principal?: Principal;
}

const MAX_BODY = 1024 * 1024;

async function readBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  if (request.method === 'GET' || request.method === 'HEAD') return { ok: true, value: undefined };
  const text = await request.text();
  if (text.length > MAX_BODY) return { ok: false, response: apiError(413, 'Payload too large (the limit is 1 MB).', 'payload_too_large') };
  if (text.trim() === '') return { ok: true, value: undefined };
  const type = request.headers.get('content-type') ?? 'application/json';
  if (type.includes('multipart/form-data')) return multipartBody(text, type);
  if (type.includes('application/x-www-form-urlencoded')) return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: apiError(400, 'Invalid request payload JSON format', 'invalid_json') };
  }
}

/** A multipart form (the users-imports upload) as an object of its fields; a file field becomes its text. */
async function multipartBody(text: string, type: string): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  let form: FormData;
  try {
    form = await new Response(text, { headers: { 'content-type': type } }).formData();
  } catch {
    return { ok: false, response: apiError(400, 'Invalid multipart/form-data payload.', 'invalid_body') };
  }
  const value: Record<string, unknown> = {};
  for (const [key, entry] of form.entries()) value[key] = typeof entry === 'string' ? entry : await entry.text();
  return { ok: true, value };
}

function toResponse(status: number, body: unknown, headers: HeadersRecord = {}): Response {
  if (status === 204 || body === undefined) return new Response(null, { status, headers });
  return json(status, body, headers);
}

export async function handleApi(
  tenant: Tenant,
  request: Request,
  route: RouteMatch,
  subPath: string,
  query: URLSearchParams,
  meta: { ip?: string; userAgent?: string },
): Promise<ApiOutcome> {
  const { op, params } = route;
  const auth = await authenticate(tenant, request);
  if (!auth.ok) return { response: auth.response };
  const principal = auth.principal;
  try {
    for (const key of new Set(query.keys())) {
      if (!op.queryParams.includes(key)) throw queryError(`'Additional properties not allowed: ${key}'.`);
    }
    const parsed = await readBody(request);
    if (!parsed.ok) return { response: parsed.response, principal };
    const body = parsed.value;
    const refused = checkScopes(op, body, principal, params);
    if (refused) return { response: refused, principal };
    if (op.body === 'required' && body === undefined) {
      throw new ApiProblem(400, "Payload validation error: 'Expected type object but found type undefined'.", 'invalid_body');
    }
    const schema = bodySchemas[op.name];
    if (schema && (body !== undefined || op.body === 'required')) {
      const problem = validate(schema, body ?? {}, definitions);
      if (problem) throw new ApiProblem(400, problem, 'invalid_body');
    } else if (body !== undefined && op.body === 'none') {
      throw new ApiProblem(400, 'Payload validation error: this operation takes no request body.', 'invalid_body');
    }
    const handler: OpHandler | undefined = HANDLERS[op.name];
    const req: OpRequest = { tenant, op, params, query, body, principal, path: subPath, origin: new URL(request.url).origin, ...meta };
    const result = await (handler ?? genericHandler)(req);
    if (!handler && op.method !== 'GET' && result.status < 400) {
      tenant.writeLog({
        type: 'sapi',
        description: `${op.name} (generic store)`,
        client_id: principal.clientId,
        ip: meta.ip,
        user_agent: meta.userAgent,
        details: { request: { method: op.method.toLowerCase(), path: `/api/v2${subPath}` } },
      });
    }
    return { response: toResponse(result.status, result.body, result.headers), principal };
  } catch (error) {
    if (error instanceof ApiProblem) return { response: apiError(error.status, error.message, error.errorCode), principal };
    const message = error instanceof Error ? error.message : String(error);
    return { response: apiError(500, `The emulator failed to handle ${op.name}: ${message}`, 'emulator_error'), principal };
  }
}
