import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client.ts';

export { Prisma, PrismaClient, Role } from '../generated/client.ts';

/** The product's database client: Prisma's generated client over node-postgres. */
export function createPrismaClient(databaseUrl: string, { maxConnections = 10 }: { maxConnections?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: maxConnections }) });
}
