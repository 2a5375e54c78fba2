/**
 * Reading a stored value back: the codec's verdict, and for a refused value (tampered, wrong or unknown
 * key, …) an `invalid-value` event every time and one log line per reason — the caller sees a miss.
 */
import type { StoredToken } from '@scopebound/token';
import type { Codec, InvalidValueReason } from './encryption';
import type { KeyLayout } from './keys';
import type { Reporter } from './store-events';

export type DecodeStored = (hash: string, raw: string | undefined) => StoredToken | undefined;

export function storedValueDecoder(codec: Codec, layout: KeyLayout, reporter: Reporter): DecodeStored {
  const loggedInvalid = new Set<InvalidValueReason>();
  return (hash, raw) => {
    if (raw === undefined) return undefined;
    const decoded = codec.decode(raw, layout.token(hash));
    if (decoded.ok) return decoded.value as unknown as StoredToken;
    reporter.emit({
      type: 'invalid-value',
      keyHash: hash,
      reason: decoded.reason,
      ...(decoded.keyId === undefined ? {} : { keyId: decoded.keyId }),
    });
    if (!loggedInvalid.has(decoded.reason)) {
      loggedInvalid.add(decoded.reason);
      reporter.log('warn', `[@scopebound/redis] Ignored a stored token (${decoded.reason}); treating it as a miss. Check encryptionKey on every instance.`, {
        type: 'invalid-value',
        reason: decoded.reason,
      });
    }
    return undefined;
  };
}
