// Prisma CLI configuration. The CLI only generates the client here: migrations are applied by
// prisma/src/migrate.ts, which needs no downloaded schema engine (see README, "Adding a migration").
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: './schema.prisma',
  migrations: { path: './migrations' },
});
