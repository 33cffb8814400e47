/**
 * A real PostgreSQL server for one test file: Debian's binaries (`/usr/lib/postgresql/<n>/bin`, or
 * `initdb` on the PATH), a cluster made by `initdb` in a temp folder, on a free 127.0.0.1 port with
 * its unix socket inside that folder, tuned for speed (no fsync: a test's data need not survive a
 * power cut). PostgreSQL refuses to run as root, so under root the server runs as the `postgres`
 * user (or `nobody`). No mock of the database anywhere: tests that need one start one of these.
 *
 *   const available = postgresAvailable();
 *   describe.skipIf(!available)('…', () => { let pg; beforeAll(async () => { pg = await startPostgres(); }); … });
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgres } from '../../src/store/pg/database.js';

const run = promisify(execFile);

/** A running server: its URL (no password: trust on loopback) and how to stop it and remove its files. */
export interface TestPostgres {
  url: string;
  /**
   * A new database holding the current schema, empty, and its URL: copied from a template migrated
   * once per server (a copy takes milliseconds; migrating each one would take a second).
   */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const USER = 'domestique';
const DATABASE = 'domestique_test';

/** The folder holding initdb, pg_ctl and pg_isready: Debian's newest, else the PATH's; null when none. */
function binDir(): string | null {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  return null;
}

/**
 * True when a server can be started. When it cannot: with DOMESTIQUE_REQUIRE_POSTGRES set (CI)
 * this throws, so a missing install fails the run instead of skipping silently; otherwise it says
 * on the console that the PostgreSQL tests are skipped and why, and returns false (for `describe.skipIf`).
 */
export function postgresAvailable(): boolean {
  if (binDir()) return true;
  const reason = 'PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on the PATH)';
  if (process.env.DOMESTIQUE_REQUIRE_POSTGRES)
    throw new Error(`${reason}, and DOMESTIQUE_REQUIRE_POSTGRES is set: install it (apt-get install postgresql).`);
  console.warn(`SKIPPED: the PostgreSQL tests of this file — ${reason}. Install Debian's postgresql to run them.`);
  return false;
}

/** Who runs the server: under root, an unprivileged user (PostgreSQL refuses root); otherwise ourselves. */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('Running as root, but neither the postgres nor the nobody user exists to run PostgreSQL as.');
}

/** A command line run as the server's user (runuser when root). */
function asUser(user: { name: string } | null, command: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', user.name, '--', command, ...args]] : [command, args];
}

/** A port free on 127.0.0.1 right now (the OS's pick for port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts a fresh server with an empty database `domestique_test`; one per test file is plenty. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL is not installed: check postgresAvailable() first.');
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'domestique-pg-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'sock');
  mkdirSync(socket);
  writeFileSync(join(dir, 'server.log'), '');
  if (user) for (const path of [dir, socket, join(dir, 'server.log')]) chownSync(path, user.uid, user.gid);
  const exec = (name: string, args: string[]) => run(...asUser(user, join(bin, name), args), { cwd: dir });
  const stopSync = () => {
    try {
      execFileSync(...asUser(user, join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate']), { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await exec('initdb', ['-D', data, '-U', USER, '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
    const port = await startOnFreePort(exec, data, socket, join(dir, 'server.log'));
    // pg_ctl -w saw the server ready; pg_isready confirms it answers on TCP before the database is made
    await exec('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-t', '30']);
    await exec('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, DATABASE]);
    // a test process that dies without stop() still takes its server down with it
    process.once('exit', stopSync);
    const url = `postgres://${USER}@127.0.0.1:${port}/${DATABASE}`;
    return {
      url,
      freshDatabase: databaseMaker(url),
      async stop() {
        process.off('exit', stopSync);
        await exec('pg_ctl', ['stop', '-D', data, '-m', 'immediate']).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopSync();
    throw error;
  }
}

/** `freshDatabase` of a server at `url`: a template migrated at the first call, then copies of it. */
function databaseMaker(url: string): () => Promise<string> {
  let template: Promise<void> | null = null;
  let made = 0;
  const urlOf = (name: string) => url.replace(/\/[^/]+$/, `/${name}`);
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return async () => {
    template ??= (async () => {
      await admin((c) => c.query('create database fresh_template'));
      const opened = await openPostgres(urlOf('fresh_template'), { max: 1 });
      await opened.close();
    })();
    await template;
    const name = `fresh_${process.pid}_${++made}`;
    await admin((c) => c.query(`create database ${name} template fresh_template`));
    return urlOf(name);
  };
}

type Exec = (name: string, args: string[]) => Promise<unknown>;

/** Writes the port into the config and starts; another process may take the port in between, so a few tries. */
async function startOnFreePort(exec: Exec, data: string, socket: string, log: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${socket}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    );
    try {
      await exec('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '60']);
      return port;
    } catch (error) {
      if (attempt >= 3) throw new Error(`PostgreSQL did not start: ${String(error)}`);
    }
  }
}

/**
 * A describe block on a real PostgreSQL server started for it (and stopped after it); skipped,
 * saying why, when PostgreSQL is not installed (see postgresAvailable). `body` gets the server.
 */
export function describePostgres(name: string, body: (server: () => TestPostgres) => void): void {
  describe.skipIf(!postgresAvailable())(name, () => {
    let server: TestPostgres | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    }, 120_000);
    afterAll(async () => server?.stop());
    body(() => server!);
  });
}
