import { createEmulator } from '@scopebound/emulator';

const tenant = createEmulator({
  seed: {
    users: [{ user_id: 'auth0|ada', email: 'ada@example.com', app_metadata: { plan: 'pro' } }],
    roles: [{ id: 'rol_admin', name: 'admin' }],
  },
  clients: [{ clientId: 'app', clientSecret: 'app-secret-0123456', grants: ['read:users'] }],
  rateLimit: { tenant: { burst: 1, perSecond: 1 } },
  faults: [{ match: { operation: 'users.get' }, status: 503, times: 1 }],
});

// admin.mintToken signs a token directly (no rate limit or quota involved).
const token = await tenant.admin.mintToken({ sub: 'app@clients', scope: 'read:users' });
const getAda = () => tenant.fetch('/api/v2/users/auth0|ada', { headers: { authorization: `Bearer ${token}` } });

console.log((await getAda()).status); // 503: the fault fires once
console.log((await getAda()).status); // 200
const limited = await getAda();
console.log(limited.status, limited.headers.get('retry-after')); // 429 1
await tenant.admin.advanceClock(1_000); // the virtual clock refills the bucket
console.log((await getAda()).status); // 200
console.log(tenant.journal.list({ operation: 'users.get' }).map((e) => e.status)); // [ 503, 200, 429, 200 ]

await tenant.close();
