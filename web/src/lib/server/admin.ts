// Who may see an admin page: an admin (`npm run grant-role -- <email> admin` makes one). Others
// are told to log in (401) or that the page is not theirs (403).
import { error, type RequestEvent } from '@sveltejs/kit';
import { currentUser, type SessionUser } from './api.ts';

/** `action` completes "Log in as an admin to …" and "Only admins can …". */
export async function requireAdmin(event: RequestEvent, action: string): Promise<SessionUser> {
  const user = await currentUser(event);
  if (!user) error(401, { message: `Log in as an admin to ${action}.`, code: 'UNAUTHENTICATED' });
  if (!user.roles.includes('admin')) error(403, { message: `Only admins can ${action}.`, code: 'FORBIDDEN' });
  return user;
}
