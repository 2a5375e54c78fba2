import { createEmulator, DEMO_CLIENTS } from '@scopebound/emulator';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIO } from '../src/index';
import { startExplorer } from '../src/commands/explorer';

function capture(env: Record<string, string | undefined> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

const csrfOf = (html: string) => /<meta name="scopebound-csrf" content="([\w-]+)">/.exec(html)![1]!;

describe('scopebound explorer', () => {
  it('starts an emulator-backed explorer and prints its URL', async () => {
    const io = capture({});
    const running = await startExplorer({ port: '0' }, io);
    try {
      expect(running.mode).toBe('emulator');
      expect(io.stdout[0]).toBe(`Scopebound explorer: ${running.url}`);
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/explorer$/);
      const res = await fetch(running.url);
      expect(res.status).toBe(200);
      const csrf = csrfOf(await res.text());
      const sources = await (await fetch(running.url.replace(/explorer$/, 'explorer/api/sources'), { headers: { 'x-scopebound-csrf': csrf } })).json();
      expect(sources.sources.map((s: { id: string }) => s.id)).toContain('client:sb-demo-read-users');
    } finally {
      await running.close();
    }
  });

  it('explores a tenant when AUTH0_* are set (here an emulator over HTTP), minting through @scopebound/token', async () => {
    const em = createEmulator({ seed: 'demo' });
    const tenant = await em.listen();
    const reader = DEMO_CLIENTS.find((c) => c.key === 'readUsers')!;
    const io = capture({ AUTH0_BASE_URL: tenant.url, AUTH0_CLIENT_ID: reader.clientId, AUTH0_CLIENT_SECRET: reader.clientSecret });
    const running = await startExplorer({ port: '0' }, io);
    try {
      expect(running.mode).toBe('tenant');
      expect(io.stdout.join('\n')).not.toContain(reader.clientSecret!);
      const csrf = csrfOf(await (await fetch(running.url)).text());
      const mint = await fetch(`${running.url}/api/mint`, {
        method: 'POST',
        headers: { 'x-scopebound-csrf': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'credential:0', scopes: ['read:users'] }),
      });
      expect(await mint.json()).toMatchObject({ granted: ['read:users'] });
    } finally {
      await running.close();
      await em.close();
    }
    // --emulator wins over the environment.
    const forced = await startExplorer({ port: '0', emulator: true }, capture({ AUTH0_DOMAIN: 'x.example', AUTH0_CLIENT_ID: 'a', AUTH0_CLIENT_SECRET: 'b' }));
    expect(forced.mode).toBe('emulator');
    await forced.close();
  });

  it('refuses a non-loopback host with exit code 2', async () => {
    const io = capture({});
    expect(await runCli(['explorer', '--host', '0.0.0.0'], io)).toBe(2);
    expect(io.stderr.join()).toMatch(/--host must be a loopback address/);
  });
});
