/**
 * The provider's default fetch: the runtime's own `globalThis.fetch` (read per call), with `redirect: 'error'`
 * done here, since workerd rejects that value: the request is sent with `redirect: 'manual'` and any redirect
 * response fails like fetch's own (a TypeError, i.e. a network error).
 */
export const runtimeFetch: typeof globalThis.fetch = async (input, init) => {
  if (init?.redirect !== 'error') return globalThis.fetch(input, init);
  const res = await globalThis.fetch(input, { ...init, redirect: 'manual' });
  if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
    await res.body?.cancel();
    throw new TypeError(`fetch failed: the token endpoint answered a redirect (${res.status}), which is refused`);
  }
  return res;
};
