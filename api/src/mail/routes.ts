// The dev outbox: mail that would have been sent, when no SMTP server is configured (development
// and tests only; production refuses to start without SMTP_URL). A mailed link is a secret, so a
// signed-in user sees only mail to their own address; the admin role (the operator) sees all.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, HttpError } from '../plugins/errors.ts';
import type { Mailer } from './mailer.ts';

/** `calendar`: the invite sent with it (RFC 5545 text), if any. */
const OutboxMail = Type.Object({ id: Type.String(), to: Type.String(), subject: Type.String(), text: Type.String(), calendar: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String({ format: 'date-time' }) });
const Outbox = Type.Object({
  /** "mine": mail to the caller's address; "all": every mail (admins). */
  scope: Type.Union([Type.Literal('mine'), Type.Literal('all')]),
  emails: Type.Array(OutboxMail),
});

const mailRoutes: FastifyPluginAsyncTypebox<{ mailer: Mailer }> = async (app, { mailer }) => {
  app.get('/api/dev/outbox', { schema: { response: { 200: Outbox, 401: ErrorBody, 404: ErrorBody } }, preHandler: app.requireUser }, async (request) => {
    if (mailer.kind !== 'outbox') throw new HttpError(404, 'NOT_FOUND', 'Mail is sent by SMTP here; there is no outbox');
    const { user } = request.session!;
    const all = user.roles.includes('admin');
    // A guest has no address, so no mail.
    const rows = all || user.email ? await app.db.outboxEmail.findMany({ where: all ? {} : { to: user.email! }, orderBy: { createdAt: 'desc' }, take: 50 }) : [];
    return { scope: all ? ('all' as const) : ('mine' as const), emails: rows.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, calendar: m.calendar, createdAt: m.createdAt.toISOString() })) };
  });
};

export default mailRoutes;
