/** Entry for edge-runtime (Vercel's Edge Runtime): the worker handler behind a `fetch` event listener. */
import handler from './worker-entry';

declare function addEventListener(type: 'fetch', listener: (event: { request: Request; respondWith(r: Promise<Response>): void }) => void): void;
addEventListener('fetch', (event) => event.respondWith(handler.fetch(event.request)));
