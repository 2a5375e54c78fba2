import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUsageRecorder, readUsageFile, writeUsageFile } from '../src/usage/index';

const call = { operation: 'users.update', route: 'PATCH /api/v2/users/{id}', alternatives: [['update:users_app_metadata'], ['update:users']], clientId: 'app-1', granted: ['update:users', 'update:users_app_metadata'] };

describe('usage recorder', () => {
  it('aggregates operation → scope need → count, with the applications and their grants', () => {
    const rec = createUsageRecorder();
    rec.record(call);
    rec.record(call);
    rec.record({ ...call, label: 'POST /plan', clientId: 'app-2', granted: ['update:users_app_metadata'] });
    const snap = rec.snapshot();
    expect(snap.calls).toHaveLength(2);
    expect(snap.calls.find((c) => c.label === '')).toMatchObject({ count: 2, clients: ['app-1'] });
    expect(snap.calls.find((c) => c.label === 'POST /plan')).toMatchObject({ count: 1, clients: ['app-2'] });
    expect(snap.grants).toEqual({ 'app-1': ['update:users', 'update:users_app_metadata'], 'app-2': ['update:users_app_metadata'] });
    rec.clear();
    expect(rec.snapshot().calls).toEqual([]);
  });

  it('writes a usage file atomically, merging with what is there (counts add up, nothing is lost)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-usage-'));
    const file = join(dir, 'usage.json');
    const rec = createUsageRecorder();
    rec.record(call);
    await writeUsageFile(file, rec.snapshot());
    await writeUsageFile(file, rec.snapshot());
    await Promise.all(Array.from({ length: 8 }, () => writeUsageFile(file, rec.snapshot())));
    const back = await readUsageFile(file);
    expect(back.calls[0]!.count).toBe(10);
    expect(readdirSync(dir)).toEqual(['usage.json']);
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('scopebound-usage');
  });

  it('refuses to merge into a corrupt file and leaves it as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-usage-'));
    const file = join(dir, 'usage.json');
    writeFileSync(file, '{"format": "scopebound-usage", "version": 1, "calls": [{}]}');
    const rec = createUsageRecorder();
    rec.record(call);
    await expect(writeUsageFile(file, rec.snapshot())).rejects.toThrow(/calls\[0\]: must be an object|calls\[0\]\.operation/);
    expect(readFileSync(file, 'utf8')).toContain('"calls": [{}]');
    writeFileSync(file, 'nope');
    await expect(writeUsageFile(file, rec.snapshot())).rejects.toThrow(/is not JSON; it is left as it is/);
  });
});
