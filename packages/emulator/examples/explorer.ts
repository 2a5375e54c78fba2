import { createEmulator, createExplorer } from '@scopebound/emulator';

const tenant = createEmulator({ seed: 'demo' });
await tenant.admin.setExplorer(createExplorer({ emulator: tenant }).handle);
const server = await tenant.listen({ port: 0 });
console.log(`${server.url}/explorer`); // open it in a browser: http://127.0.0.1:PORT/explorer

const page = await fetch(`${server.url}/explorer`);
console.log(page.status, page.headers.get('x-frame-options')); // 200 DENY

await tenant.close();
