/**
 * `import` and `db:check`: the JSON contracts, driven as a child process against a real file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { writeSyntheticFiles } from '../support/synthetic-files.js';

const temp: string[] = [];
afterAll(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'domestique-cli-store-'));
  temp.push(dir);
  return dir;
}

describe('cli import / db:check (no corpus needed)', () => {
  it('imports rides once, recognises them the second time, and db:check counts them', async () => {
    const dir = await tempDir();
    const db = join(dir, 'club.db');
    writeSyntheticFiles(join(dir, 'rides'), 13);
    await writeFile(join(dir, 'rides', 'notes.txt'), 'not a ride');
    const first = JSON.parse((await cli('import', '--db', db, '--athlete', 'Anna', join(dir, 'rides'), '--json')).stdout);
    expect(Object.keys(first).sort()).toEqual(['activities', 'athlete', 'duplicates', 'errors', 'merged', 'new']);
    // no plan: every new ride listed, none compared
    expect(first.activities).toHaveLength(14);
    expect(first.activities.every((a: { match: unknown }) => a.match === null)).toBe(true);
    expect(first).toMatchObject({ athlete: 'Anna', new: 14, duplicates: 0, merged: 0 });
    expect(first.errors).toEqual([expect.objectContaining({ code: 'unsupported-format', source: expect.stringContaining('notes.txt') })]);
    const second = JSON.parse((await cli('import', '--db', db, '--athlete', 'Anna', join(dir, 'rides'), '--json')).stdout);
    expect(second).toMatchObject({ new: 0, duplicates: 14, merged: 0 });
    const check = JSON.parse((await cli('db:check', '--db', db, '--json')).stdout);
    expect(check).toMatchObject({ integrity: 'ok', counts: { athletes: 1, activities: 14, runs: 0, uploads: 2 } });
  }, 120_000);
});

describeCorpus('cli import of the real corpus', () => {
  it('FIT folder and Strava CSV, each twice: one row per real activity', async () => {
    const db = join(await tempDir(), 'anna.db');
    const imp = async (path: string) => JSON.parse((await cli('import', '--db', db, '--athlete', 'Anna', path, '--json')).stdout);
    // the two damaged files salvage 13 s each: refused as too short, as on the chat path
    const first = await imp(corpusPath('fit'));
    expect(first).toMatchObject({ new: 14, merged: 0, duplicates: 0 });
    expect(
      first.errors
        .filter((e: { code: string }) => e.code === 'too-short')
        .map((e: { source: string }) => e.source.split('/').pop())
        .sort(),
    ).toEqual(['bad-file-crc.fit', 'bad-truncated.fit']);
    expect(await imp(corpusPath('fit'))).toMatchObject({ new: 0, duplicates: 14 });
    expect(await imp(corpusPath('strava', 'activities-2025-99col.csv'))).toMatchObject({ new: 1845 });
    expect(await imp(corpusPath('strava', 'activities-2025-99col.csv'))).toMatchObject({ new: 0, duplicates: 1845 });
    const check = JSON.parse((await cli('db:check', '--db', db, '--json')).stdout);
    expect(check).toMatchObject({ integrity: 'ok', counts: { athletes: 1, activities: 1859 } });
  }, 120_000);
});
