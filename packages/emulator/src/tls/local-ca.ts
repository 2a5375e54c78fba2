/**
 * The HTTPS listener's certificates: a CA made when the listener starts, and a server certificate it signs
 * for `localhost`, `127.0.0.1` and `::1` (and the listen host). Only the CA's certificate leaves this module
 * (`ca`): trust it with `NODE_EXTRA_CA_CERTS` or a TLS agent's `ca` option.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { buildCertificate, toPem } from './x509';

export interface TlsMaterial {
  /** The CA certificate (PEM) that signed `cert`. */
  ca: string;
  /** The server certificate (PEM). */
  cert: string;
  /** The server's private key (PEM, PKCS#8). */
  key: string;
}

const DAY_MS = 86_400_000;
const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');

/** Fresh certificates valid from an hour ago for 30 days (wall-clock time: TLS peers check it, not the tenant clock). */
export function createLocalCa(extraHosts: readonly string[] = [], now = new Date()): TlsMaterial {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serverKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const notBefore = new Date(now.getTime() - 3_600_000);
  const notAfter = new Date(now.getTime() + 30 * DAY_MS);
  const caName = `Scopebound emulator local CA ${randomBytes(4).toString('hex')}`;
  const issuer = { commonName: caName, ...caKeys };
  const ca = buildCertificate({ commonName: caName, publicKey: caKeys.publicKey, issuer, serial: randomBytes(16), notBefore, notAfter, ca: true });
  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...extraHosts.filter((h) => h !== '0.0.0.0' && h !== '::')])];
  const cert = buildCertificate({
    commonName: 'localhost',
    publicKey: serverKeys.publicKey,
    issuer,
    serial: randomBytes(16),
    notBefore,
    notAfter,
    ca: false,
    dnsNames: hosts.filter((h) => !isIp(h)),
    ipAddresses: hosts.filter(isIp),
  });
  return { ca: toPem(ca), cert: toPem(cert), key: serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
