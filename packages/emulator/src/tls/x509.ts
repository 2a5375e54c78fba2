/**
 * A minimal DER/X.509 v3 certificate builder on node:crypto (EC P-256 keys, ecdsa-with-SHA256): enough for
 * a local CA and a server certificate signed by it. No parsing, no other algorithms.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';

type Der = Buffer;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer): Der => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const seq = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
const octets = (content: Buffer): Der => tlv(0x04, content);
const bits = (content: Buffer, unused = 0): Der => tlv(0x03, Buffer.concat([Buffer.from([unused]), content]));
const bool = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
const explicit = (n: number, content: Der): Der => tlv(0xa0 + n, content);

function integer(value: Buffer): Der {
  let v = value;
  while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.subarray(1);
  return tlv(0x02, v[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Der {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(date: Date): Der {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

const name = (commonName: string): Der => seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
const extension = (id: string, critical: boolean, value: Der): Der => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/** The SHA-1 of the subjectPublicKey bits, as RFC 5280 suggests for key identifiers. */
function keyId(spki: Buffer): Buffer {
  // SPKI = SEQ { SEQ algorithm, BIT STRING key }: the key bits are the tail after the algorithm.
  const algLen = spki[3]! + 2; // the algorithm SEQUENCE of an EC P-256 key is short-form
  const bitString = spki.subarray(2 + algLen);
  return createHash('sha1').update(bitString.subarray(3)).digest();
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(':')) {
    const [head = '', tail = ''] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return Buffer.from(groups.flatMap((g) => { const n = parseInt(g, 16); return [n >> 8, n & 0xff]; }));
  }
  return Buffer.from(ip.split('.').map(Number));
}

export interface CertificateSpec {
  commonName: string;
  /** The key the certificate certifies. */
  publicKey: KeyObject;
  /** The issuer's name and private key (the subject's own for a self-signed CA). */
  issuer: { commonName: string; privateKey: KeyObject; publicKey: KeyObject };
  serial: Buffer;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** A DER-encoded certificate, signed by `spec.issuer.privateKey`. */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });
  const issuerSpki = spec.issuer.publicKey.export({ type: 'spki', format: 'der' });
  const extensions = [
    extension('2.5.29.19', true, spec.ca ? seq(bool(true)) : seq()),
    // keyUsage: keyCertSign + cRLSign for the CA, digitalSignature for the server.
    extension('2.5.29.15', true, spec.ca ? bits(Buffer.from([0x06]), 1) : bits(Buffer.from([0x80]), 7)),
    extension('2.5.29.14', false, octets(keyId(spki))),
    extension('2.5.29.35', false, seq(tlv(0x80, keyId(issuerSpki)))),
  ];
  if (!spec.ca) {
    extensions.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))));
    const names = [
      ...(spec.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
      ...(spec.ipAddresses ?? []).map((ip) => tlv(0x87, ipBytes(ip))),
    ];
    extensions.push(extension('2.5.29.17', false, seq(...names)));
  }
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(spec.serial),
    ECDSA_SHA256,
    name(spec.issuer.commonName),
    seq(utcTime(spec.notBefore), utcTime(spec.notAfter)),
    name(spec.commonName),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, spec.issuer.privateKey);
  return seq(tbs, ECDSA_SHA256, bits(signature));
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
