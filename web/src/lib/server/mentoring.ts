// What the mentoring pages' server loads share: who may see a page, the public directory reads
// (rate-limited per visitor by the API), and ids from the path.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { currentUser, failLoad, userApi, type SessionUser } from './api.ts';

/** Signed up with an email address: anyone else logs in, and a guest signs up first. */
export async function requireMember(event: RequestEvent): Promise<SessionUser> {
  let user: SessionUser | null;
  try {
    user = await currentUser(event);
  } catch (cause) {
    failLoad(cause);
  }
  if (!user) redirect(303, '/login');
  if (user.guest || user.email === null) redirect(303, '/signup');
  return user;
}

/** A mentor (an approved one: the role goes with the approval); others are told so. */
export async function requireMentor(event: RequestEvent): Promise<SessionUser> {
  const user = await requireMember(event);
  if (!user.roles.includes('mentor')) error(403, { message: 'This page is for mentors. Apply on the Mentor page first.', code: 'NOT_A_MENTOR' });
  return user;
}

/**
 * GET of a public mentoring route. The API limits these per visitor, so the visitor's address is
 * passed on (the API believes X-Forwarded-For from this server); otherwise every page view would
 * count against this web server's own address.
 */
export function publicApi<T>(event: RequestEvent, path: string): Promise<T> {
  return userApi<T>(event, path, { headers: { 'x-forwarded-for': event.getClientAddress() } });
}

/** A path's id, or a 404 (the API would answer 400 to something that is not a UUID). */
export function idParam(id: string, what: 'mentor' | 'booking' | 'review' | 'plan'): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) error(404, { message: `No such ${what}.`, code: `${what.toUpperCase()}_NOT_FOUND` });
  return id;
}
