import { createEmulator } from '@scopebound/emulator';

// Every emulator serves the explorer at /explorer (pass `explorer: false` to turn it off).
const tenant = createEmulator({ seed: 'demo' });
const server = await tenant.listen({ port: 0 });
console.log(`${server.url}/explorer`); // open it in a browser: http://127.0.0.1:PORT/explorer

const page = await fetch(`${server.url}/explorer`);
console.log(page.status, page.headers.get('x-frame-options')); // 200 DENY

await tenant.close();
