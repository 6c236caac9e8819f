// What the recruiter pages' loads share: sign-in first, and the Recruiter plan's 402 as a notice
// on the page rather than an error page.
import { redirect, type Cookies } from '@sveltejs/kit';
import { ApiError, currentUser, failLoad, type SessionUser } from '#lib/server/api.ts';

interface Event {
  cookies: Cookies;
  request: Request;
  url: URL;
}

/** The signed-in account; anyone else goes to the login page and comes back here. */
export async function signedIn(event: Event): Promise<SessionUser> {
  const user = await currentUser(event);
  if (!user || user.guest) redirect(303, `/login?redirect=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  return user;
}

/** Runs a recruiter page's calls: `null` when the account is not on the Recruiter plan (402). */
export async function recruiterOnly<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 402) return null;
    failLoad(cause);
  }
}
