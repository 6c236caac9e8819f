import type { Story } from '#lib/prep/types.ts';
import { currentUser, failLoad, userApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// The story bank is for people who signed up: a visitor or a guest is asked to sign up here.
export const load = (async (event) => {
  try {
    const user = await currentUser(event);
    const member = user !== null && !user.guest && user.email !== null;
    const stories = member ? (await userApi<{ stories: Story[] }>(event, '/api/stories')).stories : [];
    return { member, stories, competency: event.url.searchParams.get('competency')?.slice(0, 40) ?? '' };
  } catch (cause) {
    failLoad(cause);
  }
}) satisfies PageServerLoad;
