import { exportUsers } from '@scopebound/bulk';
import { createEmulator } from '@scopebound/emulator';
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';

// A local tenant with two users and an application granted read:users (on a real tenant: its domain instead).
const app = { clientId: 'exporter', clientSecret: 'exporter-secret-0123' };
const tenant = createEmulator({ seed: { users: [{ email: 'ada@example.com' }, { email: 'alan@example.com' }] }, clients: [{ ...app, grants: ['read:users'] }] });
await tenant.admin.setJobTiming({ pendingMs: 10, processingMs: 50 });
const server = await tenant.listen({ port: 0 });
const mgmt = createManagementClient({ baseUrl: server.url, credentials: clientSecret(app) });

// Create the job, poll it, download and gunzip its file: the rows (or pass `out` to write a file atomically).
const { jobId, count, rows } = await exportUsers(mgmt, { fields: ['email', 'app_metadata'], pollIntervalMs: 20 });
console.log(jobId.startsWith('job_'), count, rows?.map((r) => r.email)); // true 2 [ 'ada@example.com', 'alan@example.com' ]

await mgmt.close();
await tenant.close();
