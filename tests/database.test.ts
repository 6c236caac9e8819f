// Migrations and the Prisma client against a real PostgreSQL (the embedded one `npm start` uses).
import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '@rehearse/db';
import { migrate, migrationsDir, readMigrations } from '@rehearse/db/migrate';
import { diffMigrationsToSchema } from '@rehearse/db/scripts/new-migration';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@rehearse/deploy/embedded-postgres';
import { freePort } from './support/ports.ts';

describe('database', () => {
  let dataDir: string;
  let database: EmbeddedDatabase;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-db-'));
    await chmod(dataDir, 0o755);
    database = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  });

  afterAll(async () => {
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('has committed migrations that build exactly what schema.prisma describes', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('applies every committed migration once, even from concurrent processes', async () => {
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    const all = (await readMigrations()).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(all.sort());
    expect(await migrate(database.url)).toEqual({ applied: [], alreadyApplied: all.length });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string }>('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
    await client.end();
    expect(rows).toEqual((await readMigrations()).map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it('serves the Prisma client: users, roles and sessions with cascading deletes', async () => {
    await migrate(database.url);
    const db = createPrismaClient(database.url);
    try {
      const user = await db.user.create({ data: { email: 'ada@example.com', roles: { create: [{ role: 'seeker' }, { role: 'mentor' }] } }, include: { roles: true } });
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(user.roles.map((r) => r.role).sort()).toEqual(['mentor', 'seeker']);
      await db.session.create({ data: { id: 'abc', secretHash: new Uint8Array(32), userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
      await expect(db.user.create({ data: { email: 'ada@example.com' } })).rejects.toThrow(/Unique constraint/);
      await db.user.delete({ where: { id: user.id } });
      expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
      expect(await db.userRole.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });

  it('prepares each distinct statement once per connection, under a name no other statement shares', async () => {
    await migrate(database.url);
    const db = createPrismaClient(database.url, { maxConnections: 1 });
    try {
      const prepared = () => db.$queryRaw<{ name: string; statement: string }[]>`SELECT name, statement FROM pg_prepared_statements ORDER BY name`;
      await db.user.findMany({ where: { email: 'a@example.com' } });
      await db.user.findMany({ where: { email: 'b@example.com' } });
      await db.user.count();
      const names = await prepared();
      // findMany twice with different values is one statement; count is another; the listing query itself a third.
      expect(names.filter((s) => /FROM "public"."users"/.test(s.statement))).toHaveLength(2);
      expect(names.every((s) => /^rehearse_[0-9a-f]{32}$/.test(s.name))).toBe(true);
      expect(new Set(names.map((s) => s.name)).size).toBe(names.length);
      // Run again: nothing new is prepared.
      await db.user.findMany({ where: { email: 'c@example.com' } });
      expect(await prepared()).toEqual(names);
    } finally {
      await db.$disconnect();
    }
  });

  it('refuses a migration edited after it was applied, and rolls back a failing one whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-migrations-'));
    await cp(migrationsDir, dir, { recursive: true });
    const url = database.url.replace(/\/rehearse$/, '/postgres');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('CREATE DATABASE scratch');
    await admin.end();
    const scratch = database.url.replace(/\/rehearse$/, '/scratch');
    try {
      await migrate(scratch, dir);
      const [first] = await readMigrations(dir);
      await writeFile(path.join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
      await expect(migrate(scratch, dir)).rejects.toThrow(`migration ${first!.name} was edited after it was applied`);
      await writeFile(path.join(dir, first!.name, 'migration.sql'), first!.sql);

      await cp(path.join(dir, first!.name), path.join(dir, '29990101000000_broken'), { recursive: true });
      await writeFile(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;');
      await expect(migrate(scratch, dir)).rejects.toThrow(/29990101000000_broken failed: .*no_such_table/);
      const client = new pg.Client({ connectionString: scratch });
      await client.connect();
      const { rowCount } = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
      await client.end();
      expect(rowCount).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
