/**
 * The adapter conformance app (packages/hono/test/conformance-app.ts) inside workerd. Its options arrive as JSON in
 * the CONFIG binding (test/hono-workerd.ts translates the suite's in-process options); the tenant it calls is the
 * emulator in Node over real HTTP; a multi-tenant app asks the harness's tenant directory, over HTTP too.
 */
import { Hono } from 'hono';
import { clientSecret } from '@scopebound/token';
import { buildHonoApp } from '../../../packages/hono/test/conformance-app';
import { ERRORS_HEADER, LOGS_HEADER, RUNTIME_HEADER, TENANTS_HEADER, type CredentialWire, type LogLineWire, type TenantWire, type WorkerConfig } from './hono-conformance-wire';

const credential = (c: CredentialWire) => clientSecret({ clientId: c.clientId, clientSecret: c.clientSecret, ...(c.grants ? { grants: c.grants } : {}) });
const tenantOptions = (t: TenantWire) => ({
  baseUrl: t.baseUrl,
  audience: t.audience,
  credentials: Array.isArray(t.credentials) ? (t.credentials as readonly CredentialWire[]).map(credential) : credential(t.credentials as CredentialWire),
});

async function resolveTenant(directory: string, headers: Headers) {
  const res = await fetch(directory, { method: 'POST', body: JSON.stringify(Object.fromEntries(headers)) });
  const body = (await res.json()) as TenantWire & { message?: string };
  if (!res.ok) throw Object.assign(new Error(body.message ?? 'tenant refused'), { status: res.status });
  return tenantOptions(body);
}

let errors = 0;
let logs: LogLineWire[] = [];
const logAt = (level: LogLineWire['level']) => (fields: Record<string, unknown>, message: string) => void logs.push({ level, fields, message });
const logger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') };
let built: ReturnType<typeof buildHonoApp> | undefined;

function build(config: WorkerConfig): ReturnType<typeof buildHonoApp> {
  const { directory, tenant } = config;
  const where = directory
    ? { tenant: (c: { req: { raw: Request } }) => resolveTenant(directory, c.req.raw.headers) }
    : tenantOptions(tenant as TenantWire);
  const clock = config.clock;
  return buildHonoApp(Hono, { ...config.shared, ...where } as never, {
    ...(config.log ? { logger } : { onError: () => void errors++ }),
    ...(clock === undefined ? {} : { clock: () => clock }),
  });
}

export default {
  async fetch(request: Request, env: { CONFIG: string }): Promise<Response> {
    built ??= build(JSON.parse(env.CONFIG) as WorkerConfig);
    const res = await built.hono.fetch(request);
    const headers = new Headers(res.headers);
    headers.set(TENANTS_HEADER, String(built.middleware.tenants));
    headers.set(ERRORS_HEADER, String(errors));
    headers.set(RUNTIME_HEADER, navigator.userAgent);
    if (logs.length > 0) headers.set(LOGS_HEADER, encodeURIComponent(JSON.stringify(logs)));
    logs = [];
    return new Response(res.body, { status: res.status, headers });
  },
};
