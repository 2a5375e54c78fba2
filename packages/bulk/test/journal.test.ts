import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalCorruptError, JournalWriter, readJournal } from '../src/index';
import { tempDir } from './tenant';

describe('journal file', () => {
  it('appends a run header and entries; durable entries are on disk when they resolve', async () => {
    const path = join(tempDir(), 'j.jsonl');
    const w = await JournalWriter.open(path);
    await Promise.all([w.durable({ t: 'send', n: 1, h: 'a', op: 'users.update' }), w.durable({ t: 'send', n: 2, h: 'b', op: 'users.update' })]);
    expect(readJournal(path).filter((e) => e.t === 'send')).toHaveLength(2);
    w.append({ t: 'ok', n: 1 });
    await w.close();
    expect(readJournal(path).map((e) => e.t)).toEqual(['run', 'send', 'send', 'ok']);
  });

  it('ignores a line torn by a crash, also once the next run has appended after it', async () => {
    const path = join(tempDir(), 'j.jsonl');
    writeFileSync(path, '{"t":"run","v":1,"at":"x"}\n{"t":"send","n":1,"h":"a","op":"users.update"}\n{"t":"ok","n"');
    expect(readJournal(path).map((e) => e.t)).toEqual(['run', 'send']);
    const w = await JournalWriter.open(path);
    w.append({ t: 'ok', n: 1 });
    await w.close();
    expect(readFileSync(path, 'utf8')).toMatch(/\{"t":"ok","n"\n\{"t":"run"/);
    expect(readJournal(path).map((e) => e.t)).toEqual(['run', 'send', 'run', 'ok']);
  });

  it('refuses a journal with a foreign line in the middle', () => {
    const path = join(tempDir(), 'j.jsonl');
    writeFileSync(path, '{"t":"run","v":1,"at":"x"}\n');
    appendFileSync(path, 'hello\n{"t":"ok","n":1}\n');
    expect(() => readJournal(path)).toThrow(JournalCorruptError);
    expect(() => readJournal(path)).toThrow(/line 2 .*Move it away/);
  });
});
