import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '@scopebound/emulator';

const stateFile = join(mkdtempSync(join(tmpdir(), 'tenant-')), 'tenant.json');
const tenant = createEmulator({ domain: 'dev-tenant.example.test', stateFile });
const server = await tenant.listen({ https: true }); // a local CA and a certificate for localhost/127.0.0.1, made now
console.log(server.url.startsWith('https://127.0.0.1:'), server.ca?.startsWith('-----BEGIN CERTIFICATE-----')); // true true

// Trust server.ca for one request (or NODE_EXTRA_CA_CERTS=ca.pem for a whole process).
const status = await new Promise((resolve) => request(`${server.url}/__health`, { ca: server.ca }, (res) => resolve(res.statusCode)).end());
console.log(status); // 200

const globalClientId = await tenant.admin.globalClientId();
await tenant.close(); // saves the tenant to stateFile
const again = createEmulator({ domain: 'dev-tenant.example.test', stateFile });
console.log((await again.admin.globalClientId()) === globalClientId); // true: the same tenant, its global client included
await again.close();
