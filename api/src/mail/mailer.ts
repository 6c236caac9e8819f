// Outgoing mail behind one interface: SMTP through nodemailer (required in production), or the dev
// outbox (a table that api/src/mail/routes.ts shows each signed-in user for their own address) in
// the embedded default, so sign-up works with no mail server.
import nodemailer from 'nodemailer';
import type { PrismaClient } from '@rehearse/db';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** A calendar invite (RFC 5545 text), sent as the text/calendar part calendar apps act on. */
  calendar?: { method: 'REQUEST' | 'CANCEL' | 'PUBLISH'; content: string };
}

export interface Mailer {
  /** "smtp" or "outbox": the outbox is only readable when mail goes there. */
  readonly kind: 'smtp' | 'outbox';
  send(mail: Mail): Promise<void>;
}

export function createMailer({ smtpUrl, from, db }: { smtpUrl: string | null; from: string; db: PrismaClient }): Mailer {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      kind: 'smtp',
      async send({ to, subject, text, calendar }) {
        await transport.sendMail({ from, to, subject, text, ...(calendar ? { icalEvent: { method: calendar.method, filename: 'invite.ics', content: calendar.content } } : {}) });
      },
    };
  }
  return {
    kind: 'outbox',
    async send({ to, subject, text, calendar }) {
      await db.outboxEmail.create({ data: { to, subject, text, calendar: calendar?.content ?? null } });
    },
  };
}
