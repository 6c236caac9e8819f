// `node prisma/scripts/migrate.ts`: applies prisma/migrations to DATABASE_URL and exits — the
// migration step of a deployment (the containers' one-shot job). `npm start` migrates by itself.
// Several at once are safe: the applier takes an advisory lock.
import { migrate } from '../src/migrate.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('[migrate] DATABASE_URL must be set\n');
  process.exit(78);
}
try {
  const { applied, alreadyApplied } = await migrate(url);
  process.stdout.write(applied.length > 0 ? `[migrate] applied: ${applied.join(', ')}\n` : `[migrate] database up to date (${alreadyApplied} migrations)\n`);
} catch (error) {
  process.stderr.write(`[migrate] ${(error as Error).message}\n`);
  process.exit(1);
}
