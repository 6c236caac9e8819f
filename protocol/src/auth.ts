// Who is signed in, and their sessions: what the API answers and the web client reads.
import { Type } from 'typebox';

/** The API's session cookie (`id.secret`, HttpOnly). */
export const SESSION_COOKIE = 'rehearse_session';

export const User = Type.Object({
  id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  guest: Type.Boolean(),
});

export const Me = Type.Object({ user: User });

/** One of my sessions (GET /api/auth/sessions). */
export const SessionInfo = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  userAgent: Type.String(),
  ipAddress: Type.String(),
});

/** My profile (GET/PATCH /api/me/profile); the avatar is a path on the site. */
export const Profile = Type.Object({
  id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  name: Type.String(),
  headline: Type.String(),
  timezone: Type.String(),
  roles: Type.Array(Type.String()),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
});
