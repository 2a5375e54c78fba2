/** base64 and base64url text → bytes with Web APIs only (`atob`), for PEM bodies and encoded secrets. */

export function base64ToBytes(text: string, encoding: 'base64' | 'base64url' = 'base64'): Uint8Array {
  let b64 = encoding === 'base64url' ? text.replace(/-/g, '+').replace(/_/g, '/') : text;
  b64 = b64.replace(/=+$/, '');
  if (b64.length % 4 === 1) return new Uint8Array(0);
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
