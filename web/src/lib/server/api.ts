import { error, type Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, type User } from '@rehearse/protocol';
import type { Static } from 'typebox';
import { ApiError } from '../api.ts';
import { serverConfig } from './config.ts';

export { ApiError };


/** Calls the API from the web server over the internal network. */
export function apiFetch(path: string, init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, serverConfig().apiInternalUrl), { ...init, signal: init?.signal ?? AbortSignal.timeout(10_000) });
}

/** The signed-in user as GET /api/auth/me describes them. */
export type SessionUser = Static<typeof User>;

/** What a server load needs to call the API as the person who made the request. */
interface Caller {
  cookies: Cookies;
  request: Request;
}

/**
 * Calls the API as the signed-in user: only the session cookie is passed on (not the site's other
 * cookies), along with the browser's user agent.
 */
export async function userApi<T>({ cookies, request }: Caller, path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = cookies.get(SESSION_COOKIE);
  if (token) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
  const userAgent = request.headers.get('user-agent');
  if (userAgent) headers.set('user-agent', userAgent);
  if (init.method && init.method !== 'GET') headers.set('origin', new URL(serverConfig().publicUrl).origin);
  const response = await apiFetch(path, { ...init, headers });
  if (!response.ok) throw await ApiError.from(response);
  return (await response.json()) as T;
}

/** The signed-in user, or null (no session, or an expired one). Creates nothing. */
export async function currentUser(caller: Caller): Promise<SessionUser | null> {
  if (!caller.cookies.get(SESSION_COOKIE)) return null;
  try {
    return (await userApi<{ user: SessionUser }>(caller, '/api/auth/me')).user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Ends a server load with an error page that says what the API said (or that it is down). */
export function failLoad(cause: unknown): never {
  if (cause instanceof ApiError && cause.status < 500) error(cause.status, { message: cause.message, code: cause.code });
  if (cause instanceof ApiError) error(502, { message: cause.message, code: cause.code });
  error(502, { message: `The API is not reachable: ${(cause as Error).message}`, code: 'API_UNREACHABLE' });
}
