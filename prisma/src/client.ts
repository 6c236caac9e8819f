import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client.ts';

export { Prisma, PrismaClient, Role } from '../generated/client.ts';

/** Distinct SQL texts given a prepared-statement name; beyond this, queries run unnamed (parsed and planned each time). */
const MAX_NAMED_STATEMENTS = 1000;
const statementNames = new Map<string, string>();

/**
 * A name per distinct SQL text, so node-postgres prepares each statement once per connection and
 * PostgreSQL skips parsing and planning on every later run: on the API benchmark's authenticated
 * read that cut the database's CPU per request from ~500 to ~150 µs. The name is a hash of the
 * text, so one name never stands for two statements.
 */
function statementName({ sql }: { sql: string }): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= MAX_NAMED_STATEMENTS) return ''; // node-postgres: no name, not prepared
    name = `rehearse_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** The product's database client: Prisma's generated client over node-postgres. */
export function createPrismaClient(databaseUrl: string, { maxConnections = 10 }: { maxConnections?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: maxConnections }, { statementNameGenerator: statementName }) });
}
