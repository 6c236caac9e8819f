// What is mine: my profile (name, headline, time zone, avatar in S3), everything I have as one
// export, and deleting my account with every row and every S3 object that belongs to me.
import { randomUUID } from 'node:crypto';
import { DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import sharp from 'sharp';
import { Type } from 'typebox';
import { MAX_UPLOAD_BYTES } from '@rehearse/core/limits';
import { verifyPassword } from '../accounts/passwords.ts';
import { recordingPath } from '../answers/service.ts';
import { Binary, Profile } from '@rehearse/protocol';
import { ErrorBody, HttpError } from '../plugins/errors.ts';
import { INTERVIEW_SOURCE } from '../questions/service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody };
const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));
/** Formats an avatar may arrive in, as told by decoding it (the Content-Type header is only a claim). */
const AVATAR_FORMATS = new Set(['png', 'jpeg', 'webp']);
/** Every avatar is stored as this: decoded and drawn again, so nothing but pixels survives. */
const AVATAR_SIZE = 512;
/** Larger images are refused before they are decoded (a small file can claim huge dimensions). */
const AVATAR_MAX_PIXELS = 40_000_000;

/**
 * Decodes the upload as an image and encodes it again as a square WebP: a file that only starts
 * like an image (an HTML page behind a PNG header) fails to decode, and metadata (location, camera)
 * does not survive.
 */
async function reencodeAvatar(body: Buffer): Promise<Buffer> {
  try {
    // Lenient with small defects (a bad checksum, a short file): only decoded pixels are kept anyway.
    const image = sharp(body, { failOn: 'none', limitInputPixels: AVATAR_MAX_PIXELS });
    const { format } = await image.metadata();
    if (!format || !AVATAR_FORMATS.has(format)) throw new Error(`format ${format ?? 'unknown'}`);
    return await image.rotate().resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover' }).webp({ quality: 85 }).toBuffer();
  } catch {
    throw new HttpError(415, 'NOT_AN_IMAGE', 'The avatar must be a PNG, JPEG or WebP image');
  }
}

const ProfilePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    headline: Type.Optional(Type.String({ maxLength: 200 })),
    timezone: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
const DeleteBody = Type.Object({ password: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

export function userPrefix(userId: string): string {
  return `users/${userId}/`;
}

const meRoutes: FastifyPluginAsyncTypebox<{ publicUrl: string }> = async (app, { publicUrl }) => {
  app.addHook('preHandler', app.requireUser);
  /** The avatar's address on this site; the key's own id in it makes a new avatar a new URL (no stale caches). */
  const avatarPath = (key: string) => `/api/me/avatar?v=${encodeURIComponent(key.slice(key.lastIndexOf('/') + 1))}`;
  const absolute = (path: string) => new URL(path, publicUrl).href;

  async function profileOf(userId: string) {
    const user = await app.db.user.findUniqueOrThrow({ where: { id: userId }, include: { roles: true } });
    return {
      id: user.id,
      email: user.email,
      emailVerified: user.emailVerifiedAt !== null,
      name: user.name,
      headline: user.headline,
      timezone: user.timezone,
      roles: user.roles.map((r) => r.role),
      avatarUrl: user.avatarKey ? avatarPath(user.avatarKey) : null,
    };
  }

  app.get('/api/me/profile', { schema: { response: { 200: Profile, ...errors } } }, async (request) => profileOf(request.session!.user.id));

  app.patch('/api/me/profile', { schema: { body: ProfilePatch, response: { 200: Profile, ...errors } } }, async (request) => {
    const { name, headline, timezone } = request.body;
    if (timezone !== undefined && !TIME_ZONES.has(timezone)) throw new HttpError(400, 'VALIDATION_FAILED', `body/timezone must be an IANA time zone such as Europe/Berlin (got "${timezone}")`);
    await app.db.user.update({ where: { id: request.session!.user.id }, data: { name: name?.trim(), headline: headline?.trim(), timezone } });
    return profileOf(request.session!.user.id);
  });

  // The avatar is the request body itself (an image, MAX_UPLOAD_BYTES at most).
  app.addContentTypeParser(['image/png', 'image/jpeg', 'image/webp'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.put('/api/me/avatar', { bodyLimit: MAX_UPLOAD_BYTES, schema: { response: { 200: Profile, ...errors } } }, async (request) => {
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpError(400, 'IMAGE_REQUIRED', 'Send the image as the request body, with Content-Type image/png, image/jpeg or image/webp');
    const image = await reencodeAvatar(body);
    const userId = request.session!.user.id;
    const key = `${userPrefix(userId)}avatar-${randomUUID()}.webp`;
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: image, ContentType: 'image/webp' }));
    const previous = (await app.db.user.findUniqueOrThrow({ where: { id: userId } })).avatarKey;
    await app.db.user.update({ where: { id: userId }, data: { avatarKey: key } });
    if (previous && previous !== key) await app.s3.send(new DeleteObjectsCommand({ Bucket: app.bucket, Delete: { Objects: [{ Key: previous }] } }));
    return profileOf(userId);
  });

  app.get('/api/me/avatar', { schema: { querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 100 })) }), response: { 200: Binary, 304: Type.Null(), ...errors } } }, async (request, reply) => {
    const { avatarKey } = await app.db.user.findUniqueOrThrow({ where: { id: request.session!.user.id } });
    if (!avatarKey) throw new HttpError(404, 'NO_AVATAR', 'No photo has been uploaded');
    // The URL names the version, so a browser may keep it for a day.
    return app.sendObject(request, reply, { key: avatarKey, contentType: 'image/webp', maxAgeSeconds: 86_400 });
  });

  app.get('/api/me/export', { schema: { response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errors } } }, async (request, reply) => {
    const userId = request.session!.user.id;
    const user = await app.db.user.findUniqueOrThrow({
      where: { id: userId },
      include: { roles: true, sessions: true, answers: { include: { question: true, report: true }, orderBy: { createdAt: 'asc' } } },
    });
    const answers = await Promise.all(
      user.answers.map(async ({ recordingBytes, report, ...answer }) => ({
        ...answer,
        recordingBytes: recordingBytes === null ? null : Number(recordingBytes),
        recordingUrl: answer.recordingKey ? absolute(recordingPath(answer.id)) : null,
        report,
      })),
    );
    // What I shared and with whom, and what recruiters said (token hashes are not mine to export: they are only hashes).
    const [resumes, links, discovery, contactRequests, recruiterFeedback, interviewInvitations] = await Promise.all([
      app.db.videoResume.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
      app.db.shareLink.findMany({ where: { ownerId: userId }, omit: { tokenHash: true }, include: { views: { omit: { ipAddress: true, userAgent: true } } }, orderBy: { createdAt: 'asc' } }),
      app.db.candidateProfile.findUnique({ where: { userId } }),
      app.db.contactRequest.findMany({ where: { OR: [{ candidateId: userId }, { recruiterId: userId }] }, orderBy: { createdAt: 'asc' } }),
      app.db.recruiterFeedback.findMany({ where: { candidateId: userId, hiddenAt: null }, orderBy: { createdAt: 'asc' } }),
      app.db.interviewInvite.findMany({ where: { candidateId: userId }, omit: { tokenHash: true }, orderBy: { createdAt: 'asc' } }),
    ]);
    reply.header('content-disposition', `attachment; filename="rehearse-export-${userId}.json"`);
    return {
      exportedAt: new Date().toISOString(),
      note: 'Links to recordings and the avatar work while you are signed in to Rehearse in the same browser.',
      account: { id: user.id, email: user.email, emailVerifiedAt: user.emailVerifiedAt, name: user.name, headline: user.headline, timezone: user.timezone, createdAt: user.createdAt, roles: user.roles.map((r) => r.role) },
      avatarUrl: user.avatarKey ? absolute(avatarPath(user.avatarKey)) : null,
      sessions: user.sessions.map((s) => ({ createdAt: s.createdAt, expiresAt: s.expiresAt, userAgent: s.userAgent, ipAddress: s.ipAddress })),
      answers,
      sharing: { resumes, links, discovery, contactRequests, recruiterFeedback, interviewInvitations },
    };
  });

  app.delete('/api/me', { schema: { body: DeleteBody, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    const userId = request.session!.user.id;
    const user = await app.db.user.findUniqueOrThrow({ where: { id: userId } });
    // Someone at an unlocked computer should not be able to wipe an account with a password.
    if (user.passwordHash && !(await verifyPassword(user.passwordHash, request.body?.password ?? ''))) {
      throw new HttpError(403, 'PASSWORD_REQUIRED', 'Type your password to delete your account');
    }
    // Booked calls and paid reviews in progress involve someone else's money and time: they are
    // cancelled (and refunded) first, never dropped with the account.
    const pending = await app.db.booking.count({ where: { OR: [{ seekerId: userId }, { mentorId: userId }], status: { in: ['held', 'confirmed'] } } });
    const reviews = await app.db.answerReview.count({ where: { OR: [{ seekerId: userId }, { mentorId: userId }], status: 'open' } });
    if (pending + reviews > 0) throw new HttpError(409, 'ACTIVE_BOOKINGS', `You have ${pending} booked call${pending === 1 ? '' : 's'} and ${reviews} review${reviews === 1 ? '' : 's'} in progress; cancel the calls (or wait for them and the reviews to finish) before deleting the account`);
    // Objects first: if S3 fails, the account is still there to try again, nothing is orphaned.
    await app.deletePrefix(userPrefix(userId));
    // Sessions, roles, answers, reports, mailed tokens, resumes, share links and the discovery
    // profile go with the row (ON DELETE CASCADE); what names the user from rows without a key to
    // users goes here, in the same transaction. The audit log and moderation reports stay.
    await app.db.$transaction([
      app.db.contactRequest.deleteMany({ where: { OR: [{ candidateId: userId }, { recruiterId: userId }] } }),
      app.db.recruiterFeedback.deleteMany({ where: { OR: [{ candidateId: userId }, { recruiterId: userId }] } }),
      app.db.recruiterInterview.deleteMany({ where: { recruiterId: userId } }),
      // A recruiter's interview questions that candidates answered stay, without an owner, with those answers.
      app.db.question.updateMany({ where: { ownerId: userId, source: INTERVIEW_SOURCE, answers: { some: { userId: { not: userId } } } }, data: { ownerId: null } }),
      app.db.interviewInvite.deleteMany({ where: { candidateId: userId } }),
      app.db.user.delete({ where: { id: userId } }),
    ]);
    app.clearSessionCookie(reply);
    return reply.status(204).send(null);
  });
};

export default meRoutes;
