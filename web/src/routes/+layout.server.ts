import { currentUser } from '#lib/server/api.ts';
import { serverConfig } from '#lib/server/config.ts';
import type { LayoutServerLoad } from './$types';

// What the navigation needs: who is signed in (for its links only; every page checks access in its
// own load), and whether this server keeps mail in the dev outbox.
export const load = (async (event) => {
  const user = await currentUser(event).catch(() => null);
  return { user, devOutbox: serverConfig().mail.smtpUrl === null };
}) satisfies LayoutServerLoad;
