/**
 * The admin API over HTTP under `/__admin/*` (the core lets only loopback peers in; never on /api/v2):
 * JSON in and out, each route one call of the in-process admin (admin.ts) or a read of the runtime.
 */
import type { EmulatorAdmin } from './admin';
import { EmulatorError } from './errors';
import { ApiProblem, apiError, json } from './http';
import type { JournalFilter } from './journal';
import type { Runtime } from './runtime';

async function jsonBody(request: Request): Promise<any> {
  const text = await request.text();
  return text.trim() ? JSON.parse(text) : {};
}

function journalFilter(q: URLSearchParams): JournalFilter {
  const f: JournalFilter = {};
  if (q.get('operation')) f.operation = q.get('operation')!;
  if (q.get('clientId')) f.clientId = q.get('clientId')!;
  if (q.get('method')) f.method = q.get('method')!;
  if (q.get('status')) f.status = Number(q.get('status'));
  if (q.get('limit')) f.limit = Number(q.get('limit'));
  return f;
}

export const ADMIN_ROUTES: readonly string[] = [
  'GET /__admin',
  'GET /__admin/journal?operation&clientId&method&status&limit',
  'DELETE /__admin/journal',
  'GET /__admin/mints',
  'POST /__admin/reset {seed?}',
  'POST /__admin/seed {…seed data} | {"preset":"demo"}',
  'GET /__admin/clock',
  'POST /__admin/clock/advance {ms}',
  'GET /__admin/keys',
  'POST /__admin/keys/rotate',
  'PUT /__admin/keys/grace {ms}',
  'GET /__admin/secret',
  'POST /__admin/secret/rotate {secret?}',
  'GET /__admin/faults',
  'PUT /__admin/faults [rules]',
  'POST /__admin/faults {rule}',
  'DELETE /__admin/faults',
  'DELETE /__admin/faults/{id}',
  'PUT /__admin/rate-limit {preset|config|false}',
  'PUT /__admin/quota {perHour?, perDay?}',
  'PUT /__admin/narrow-scopes {on}',
  'PUT /__admin/jobs {pendingMs?, processingMs?, downloadTtlMs?}',
  'POST /__admin/jobs/failures {type?, message?, times?}',
  'POST /__admin/tokens {sub, scope, audience?, expiresIn?}',
  'GET /__admin/demo/private-key',
];

export async function handleAdmin(admin: EmulatorAdmin, rt: Runtime, request: Request, url: URL): Promise<Response> {
  const route = `${request.method.toUpperCase()} ${url.pathname.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /__admin':
        return json(200, { routes: ADMIN_ROUTES });
      case 'GET /__admin/journal':
        return json(200, { entries: rt.journal.list(journalFilter(url.searchParams)) });
      case 'DELETE /__admin/journal':
        rt.journal.clear();
        return new Response(null, { status: 204 });
      case 'GET /__admin/mints':
        return json(200, { mints: rt.journal.mints() });
      case 'POST /__admin/reset': {
        const b = await jsonBody(request);
        await admin.reset(b.seed !== undefined ? { seed: b.seed } : {});
        return new Response(null, { status: 204 });
      }
      case 'POST /__admin/seed': {
        const b = await jsonBody(request);
        await admin.seed(b.preset === 'demo' ? 'demo' : b);
        return new Response(null, { status: 204 });
      }
      case 'GET /__admin/clock':
        return json(200, { now: rt.clock.now(), offset: rt.clock.offset() });
      case 'POST /__admin/clock/advance': {
        const b = await jsonBody(request);
        return json(200, { now: await admin.advanceClock(Number(b.ms)), offset: rt.clock.offset() });
      }
      case 'GET /__admin/keys':
        return json(200, { keys: await admin.signingKeys(), graceMs: rt.keys.grace() });
      case 'POST /__admin/keys/rotate':
        return json(200, await admin.rotateSigningKey());
      case 'PUT /__admin/keys/grace': {
        const b = await jsonBody(request);
        await admin.setJwksGrace(Number(b.ms));
        return new Response(null, { status: 204 });
      }
      case 'GET /__admin/secret':
        return json(200, { secret: rt.tenant.apiSecret, globalClientId: rt.tenant.globalClientId });
      case 'POST /__admin/secret/rotate': {
        const b = await jsonBody(request);
        return json(200, { secret: await admin.rotateApiSecret(b.secret) });
      }
      case 'GET /__admin/faults':
        return json(200, { faults: rt.faults.list() });
      case 'PUT /__admin/faults':
        await admin.setFaults(await jsonBody(request));
        return json(200, { faults: rt.faults.list() });
      case 'POST /__admin/faults':
        return json(201, { id: await admin.addFault(await jsonBody(request)) });
      case 'DELETE /__admin/faults':
        rt.faults.clear();
        return new Response(null, { status: 204 });
      case 'PUT /__admin/rate-limit':
        await admin.setRateLimit(await jsonBody(request));
        return new Response(null, { status: 204 });
      case 'PUT /__admin/quota': {
        const b = await jsonBody(request);
        await admin.setQuota(Object.keys(b).length ? b : undefined);
        return new Response(null, { status: 204 });
      }
      case 'PUT /__admin/narrow-scopes': {
        const b = await jsonBody(request);
        await admin.setNarrowScopes(Boolean(b.on));
        return new Response(null, { status: 204 });
      }
      case 'PUT /__admin/jobs':
        await admin.setJobTiming(await jsonBody(request));
        return new Response(null, { status: 204 });
      case 'POST /__admin/jobs/failures':
        await admin.failJobs(await jsonBody(request));
        return new Response(null, { status: 204 });
      case 'POST /__admin/tokens':
        return json(200, { access_token: await admin.mintToken(await jsonBody(request)) });
      case 'GET /__admin/demo/private-key':
        return json(200, await admin.demoPrivateKey());
    }
    const m = /^DELETE \/__admin\/faults\/(.+)$/.exec(route);
    if (m) return (await admin.removeFault(decodeURIComponent(m[1]!))) ? new Response(null, { status: 204 }) : apiError(404, `No fault ${m[1]}`, 'inexistent_fault');
    return apiError(404, `Unknown admin route ${route}; GET /__admin lists them.`, 'not_found');
  } catch (error) {
    if (error instanceof SyntaxError) return apiError(400, 'The admin API takes JSON bodies.', 'invalid_json');
    if (error instanceof ApiProblem) return apiError(error.status, error.message, error.errorCode);
    if (error instanceof EmulatorError) return apiError(400, error.message, error.code);
    throw error;
  }
}
