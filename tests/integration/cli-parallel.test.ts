/**
 * Several `import`s at once on one database file (a script importing folders in parallel, the CLI
 * beside the bot): each waits for the others' writes instead of failing with "database is locked",
 * a new file is migrated once; and a lock held longer than the busy timeout ends in one clear line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliFails } from '../support/cli.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const temp: string[] = [];
afterAll(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'domestique-cli-parallel-'));
  temp.push(dir);
  return dir;
}

/** `count` rides of their own (seeds and days apart from every other folder) in `dir/rides-<n>`. */
function rideFolder(dir: string, n: number, count: number): string {
  const folder = join(dir, `rides-${n}`);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++)
    writeFileSync(
      join(folder, `ride-${n}-${i}.fit`),
      syntheticRideBytes(1000 + n * 100 + i, new Date(Date.UTC(2026, 0, 1 + n * 10 + i, 7)), 45),
    );
  return folder;
}

describe('parallel cli imports', () => {
  it('four imports at once into a new database all succeed, and every ride is there', async () => {
    const dir = await tempDir();
    const db = join(dir, 'club.db');
    const folders = [0, 1, 2, 3].map((n) => rideFolder(dir, n, 4));
    // Anna three times (the same athlete created by whichever comes first), Ben once.
    const athletes = ['Anna', 'Anna', 'Ben', 'Anna'];
    const results = await Promise.all(
      folders.map(
        async (folder, n) =>
          JSON.parse((await cli('import', '--db', db, '--athlete', athletes[n]!, folder, '--json')).stdout) as {
            athlete: string;
            new: number;
            errors: unknown[];
          },
      ),
    );
    for (const [n, result] of results.entries()) expect(result).toMatchObject({ athlete: athletes[n], new: 4, errors: [] });
    const check = JSON.parse((await cli('db:check', '--db', db, '--json')).stdout);
    expect(check).toMatchObject({ integrity: 'ok', counts: { athletes: 2, chatIdentities: 2, activities: 16, uploads: 4 } });
  }, 120_000);

  it('a database held longer than the busy timeout: one line saying so, a non-zero exit, no stack', async () => {
    const dir = await tempDir();
    const db = join(dir, 'held.db');
    await cli('import', '--db', db, '--athlete', 'Anna', rideFolder(dir, 0, 1), '--json');
    const holder = new Database(db);
    try {
      holder.exec('BEGIN IMMEDIATE'); // another process writing, for longer than the CLI waits
      const failed = await cliFails(
        { DATABASE_BUSY_TIMEOUT_MS: '200' },
        'import',
        '--db',
        db,
        '--athlete',
        'Ben',
        rideFolder(dir, 1, 1),
        '--json',
      );
      expect(failed.code).toBe(75);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toBe('domestique: The database is busy (another domestique process holds it); try again.\n');
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
    // released: the same import goes through
    expect(JSON.parse((await cli('import', '--db', db, '--athlete', 'Ben', join(dir, 'rides-1'), '--json')).stdout)).toMatchObject({
      new: 1,
    });
  }, 120_000);
});
