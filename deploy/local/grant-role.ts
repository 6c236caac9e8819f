// `npm run grant-role -- <email> <role>`: gives an account a role (admin, mentor, recruiter,
// seeker), e.g. the operator their admin role for /admin/status. Uses DATABASE_URL, or the
// embedded PostgreSQL while `npm start` runs it.
import { loadConfigOrExit } from '@rehearse/core/config';
import { createPrismaClient } from '@rehearse/db';
import { embeddedDatabaseUrl } from './embedded-postgres.ts';

const ROLES = ['seeker', 'mentor', 'recruiter', 'admin'] as const;
type Role = (typeof ROLES)[number];

const [email, role] = process.argv.slice(2);
if (!email || !role || !(ROLES as readonly string[]).includes(role)) {
  process.stderr.write(`usage: npm run grant-role -- <email> <${ROLES.join('|')}>\n`);
  process.exit(2);
}
const config = loadConfigOrExit('grant-role');
const db = createPrismaClient(config.database.url ?? embeddedDatabaseUrl(config.database.embeddedPort));
try {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) {
    process.stderr.write(`[grant-role] no account with the email ${email}\n`);
    process.exitCode = 1;
  } else {
    await db.userRole.upsert({ where: { userId_role: { userId: user.id, role: role as Role } }, create: { userId: user.id, role: role as Role }, update: {} });
    process.stdout.write(`[grant-role] ${user.email} now has the ${role} role\n`);
  }
} catch (error) {
  process.stderr.write(`[grant-role] ${(error as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
