import fp from 'fastify-plugin';
import { createPrismaClient, type PrismaClient } from '@rehearse/db';

declare module 'fastify' {
  interface FastifyInstance {
    db: PrismaClient;
  }
}

export default fp(
  async (app, { databaseUrl }: { databaseUrl: string }) => {
    const db = createPrismaClient(databaseUrl);
    app.decorate('db', db);
    app.addHook('onClose', () => db.$disconnect());
  },
  { name: 'db' },
);
