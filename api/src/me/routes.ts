// What is mine: my profile (name, headline, time zone, avatar in S3), everything I have as one
// export, and deleting my account with every row and every S3 object that belongs to me.
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { verifyPassword } from '../accounts/passwords.ts';
import { ErrorBody, HttpError } from '../plugins/errors.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody };
const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));
const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/** What an avatar may be, told by its first bytes (the Content-Type header is only a claim). */
const IMAGE_SIGNATURES: { type: string; ext: string; matches: (b: Buffer) => boolean }[] = [
  { type: 'image/png', ext: 'png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', ext: 'jpg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/webp', ext: 'webp', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];
/** Presigned links in an export or a profile last this long. */
const LINK_TTL_S = 60 * 60;

const Profile = Type.Object({
  id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  name: Type.String(),
  headline: Type.String(),
  timezone: Type.String(),
  roles: Type.Array(Type.String()),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
});
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

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', app.requireUser);
  const presign = (key: string) => getSignedUrl(app.s3, new GetObjectCommand({ Bucket: app.bucket, Key: key }), { expiresIn: LINK_TTL_S });

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
      avatarUrl: user.avatarKey ? await presign(user.avatarKey) : null,
    };
  }

  app.get('/api/me/profile', { schema: { response: { 200: Profile, ...errors } } }, async (request) => profileOf(request.session!.user.id));

  app.patch('/api/me/profile', { schema: { body: ProfilePatch, response: { 200: Profile, ...errors } } }, async (request) => {
    const { name, headline, timezone } = request.body;
    if (timezone !== undefined && !TIME_ZONES.has(timezone)) throw new HttpError(400, 'VALIDATION_FAILED', `body/timezone must be an IANA time zone such as Europe/Berlin (got "${timezone}")`);
    await app.db.user.update({ where: { id: request.session!.user.id }, data: { name: name?.trim(), headline: headline?.trim(), timezone } });
    return profileOf(request.session!.user.id);
  });

  // The avatar is the request body itself (an image, 2 MB at most).
  app.addContentTypeParser(['image/png', 'image/jpeg', 'image/webp'], { parseAs: 'buffer', bodyLimit: AVATAR_MAX_BYTES }, (_request, body, done) => done(null, body));
  app.put('/api/me/avatar', { schema: { response: { 200: Profile, ...errors } } }, async (request) => {
    const body = request.body as Buffer;
    const image = IMAGE_SIGNATURES.find((s) => s.matches(body));
    if (!image) throw new HttpError(415, 'NOT_AN_IMAGE', 'The avatar must be a PNG, JPEG or WebP image');
    const userId = request.session!.user.id;
    const key = `${userPrefix(userId)}avatar.${image.ext}`;
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: body, ContentType: image.type }));
    const previous = (await app.db.user.findUniqueOrThrow({ where: { id: userId } })).avatarKey;
    await app.db.user.update({ where: { id: userId }, data: { avatarKey: key } });
    if (previous && previous !== key) await app.s3.send(new DeleteObjectsCommand({ Bucket: app.bucket, Delete: { Objects: [{ Key: previous }] } }));
    return profileOf(userId);
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
        recordingUrl: answer.recordingKey ? await presign(answer.recordingKey) : null,
        report,
      })),
    );
    reply.header('content-disposition', `attachment; filename="rehearse-export-${userId}.json"`);
    return {
      exportedAt: new Date().toISOString(),
      note: `Links to recordings and the avatar work for ${LINK_TTL_S / 60} minutes.`,
      account: { id: user.id, email: user.email, emailVerifiedAt: user.emailVerifiedAt, name: user.name, headline: user.headline, timezone: user.timezone, createdAt: user.createdAt, roles: user.roles.map((r) => r.role) },
      avatarUrl: user.avatarKey ? await presign(user.avatarKey) : null,
      sessions: user.sessions.map((s) => ({ createdAt: s.createdAt, expiresAt: s.expiresAt, userAgent: s.userAgent, ipAddress: s.ipAddress })),
      answers,
    };
  });

  app.delete('/api/me', { schema: { body: DeleteBody, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    const userId = request.session!.user.id;
    const user = await app.db.user.findUniqueOrThrow({ where: { id: userId } });
    // Someone at an unlocked computer should not be able to wipe an account with a password.
    if (user.passwordHash && !(await verifyPassword(user.passwordHash, request.body?.password ?? ''))) {
      throw new HttpError(403, 'PASSWORD_REQUIRED', 'Type your password to delete your account');
    }
    // Objects first: if S3 fails, the account is still there to try again, nothing is orphaned.
    for (let token: string | undefined; ; ) {
      const page = await app.s3.send(new ListObjectsV2Command({ Bucket: app.bucket, Prefix: userPrefix(userId), ContinuationToken: token }));
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length > 0) await app.s3.send(new DeleteObjectsCommand({ Bucket: app.bucket, Delete: { Objects: keys } }));
      if (!page.IsTruncated) break;
      token = page.NextContinuationToken;
    }
    // Sessions, roles, answers, reports and mailed tokens go with the row (ON DELETE CASCADE).
    await app.db.user.delete({ where: { id: userId } });
    app.clearSessionCookie(reply);
    return reply.status(204).send(null);
  });
};

export default meRoutes;
