// `npm run grant-role -- <email> <role>`: gives an account a role (admin, mentor, recruiter,
// seeker), e.g. the operator their admin role for /admin/status. Uses DATABASE_URL, or the
// embedded PostgreSQL while `npm start` runs it. Each grant is written to the audit log as
// `admin.role.grant` (as an admin's grant from the site is), with no actor: it came from a shell on
// the server, so the entry names the command and the operating-system user instead.
import os from 'node:os';
import { loadConfigOrExit } from '@rehearse/core/config';
import { createPrismaClient } from '@rehearse/db';
import { embeddedDatabaseUrl } from './embedded-postgres.ts';

const ROLES = ['seeker', 'mentor', 'recruiter', 'admin'] as const;
type Role = (typeof ROLES)[number];

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}

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
    const alreadyHeld = await db.$transaction(async (tx) => {
      const held = (await tx.userRole.count({ where: { userId: user.id, role: role as Role } })) > 0;
      await tx.userRole.upsert({ where: { userId_role: { userId: user.id, role: role as Role } }, create: { userId: user.id, role: role as Role }, update: {} });
      // The same entry shape as api/src/audit/log.ts writes; a command has no session, so no actor.
      await tx.auditLog.create({
        data: { actorId: null, actorEmail: '', action: 'admin.role.grant', targetType: 'user', targetId: user.id, ipAddress: '', userAgent: 'deploy/local/grant-role.ts', details: { role, email: user.email, via: 'grant-role', osUser: osUser(), alreadyHeld: held } },
      });
      return held;
    });
    process.stdout.write(`[grant-role] ${user.email} now has the ${role} role${alreadyHeld ? ' (it had it already)' : ''}\n`);
  }
} catch (error) {
  process.stderr.write(`[grant-role] ${(error as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
