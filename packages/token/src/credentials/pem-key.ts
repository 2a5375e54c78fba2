/**
 * RSA private keys from PEM with Web APIs only: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`,
 * wrapped into PKCS#8), with the key type and modulus size read synchronously from the DER so that a wrong key
 * fails when the credential is built; WebCrypto imports it on first use.
 */
import { base64ToBytes } from '../base64';

export interface PemKeyInfo {
  /** PKCS#8 DER, ready for `crypto.subtle.importKey('pkcs8', …)`. */
  readonly pkcs8: Uint8Array;
  readonly type: 'rsa' | 'rsa-pss' | 'other';
  readonly modulusBits: number | undefined;
}

/** Thrown for bytes that are not the DER structure expected; the caller turns it into an option error. */
export class DerError extends Error {}

const RSA_OID = '2a864886f70d010101';
const RSA_PSS_OID = '2a864886f70d01010a';

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at];
  let len = der[at + 1];
  if (tag === undefined || len === undefined) throw new DerError('truncated');
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[start + i] ?? 0);
    start += n;
  }
  if (start + len > der.length) throw new DerError('truncated');
  return { tag, start, end: start + len };
}

/** The children of a constructed TLV. */
function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = readTlv(der, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

function hex(der: Uint8Array, t: Tlv): string {
  return Array.from(der.subarray(t.start, t.end), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Modulus size of a PKCS#1 RSAPrivateKey (SEQUENCE { version, modulus, … }). */
function pkcs1ModulusBits(der: Uint8Array, at = 0): number {
  const seq = readTlv(der, at);
  const modulus = children(der, seq)[1];
  if (seq.tag !== 0x30 || !modulus || modulus.tag !== 0x02) throw new DerError('not an RSAPrivateKey');
  let first = modulus.start;
  while (first < modulus.end && der[first] === 0) first++;
  const top = der[first] ?? 0;
  return (modulus.end - first - 1) * 8 + (32 - Math.clz32(top));
}

function der(parts: { tag: number; body: Uint8Array }): Uint8Array {
  const n = parts.body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out.set([parts.tag, ...len]);
  out.set(parts.body, 1 + len.length);
  return out;
}

/** PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING pkcs1 }. */
function wrapPkcs1(pkcs1: Uint8Array): Uint8Array {
  const algorithm = Uint8Array.from([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);
  const body = new Uint8Array([0x02, 0x01, 0x00, ...algorithm, ...der({ tag: 0x04, body: pkcs1 })]);
  return der({ tag: 0x30, body });
}

export function readPemPrivateKey(pem: string): PemKeyInfo {
  const match = /-----BEGIN (RSA )?PRIVATE KEY-----([\s\S]*?)-----END (RSA )?PRIVATE KEY-----/.exec(pem);
  if (!match) throw new DerError('no PEM block');
  const bytes = base64ToBytes((match[2] ?? '').replace(/\s+/g, ''));
  if (bytes.length === 0) throw new DerError('empty');
  if (match[1]) return { pkcs8: wrapPkcs1(bytes), type: 'rsa', modulusBits: pkcs1ModulusBits(bytes) };
  const info = readTlv(bytes, 0);
  const [, algorithm, key] = children(bytes, info);
  const oid = algorithm ? children(bytes, algorithm)[0] : undefined;
  if (info.tag !== 0x30 || !algorithm || !key || !oid || oid.tag !== 0x06 || key.tag !== 0x04) throw new DerError('not a PrivateKeyInfo');
  const id = hex(bytes, oid);
  const type = id === RSA_OID ? 'rsa' : id === RSA_PSS_OID ? 'rsa-pss' : 'other';
  return { pkcs8: bytes, type, modulusBits: type === 'other' ? undefined : pkcs1ModulusBits(bytes, key.start) };
}
