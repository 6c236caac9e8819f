import { error, type Cookies } from '@sveltejs/kit';
import { ApiError } from '../api.ts';
import { serverConfig } from './config.ts';

export { ApiError };

/** The API's session cookie (api/src/plugins/auth.ts). */
export const SESSION_COOKIE = 'rehearse_session';

/** Calls the API from the web server over the internal network. */
export function apiFetch(path: string, init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, serverConfig().apiInternalUrl), { ...init, signal: init?.signal ?? AbortSignal.timeout(10_000) });
}

export interface SessionUser {
  id: string;
  email: string | null;
  emailVerified: boolean;
  name: string;
  roles: string[];
  guest: boolean;
}

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

/**
 * The signed-in user; without a valid session, a new guest account whose session cookie is
 * forwarded to the browser, so a first-time visitor can practise at once.
 */
export async function ensureUser(caller: Caller): Promise<{ user: SessionUser; created: boolean }> {
  if (caller.cookies.get(SESSION_COOKIE)) {
    try {
      const { user } = await userApi<{ user: SessionUser }>(caller, '/api/auth/me');
      return { user, created: false };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
  }
  const headers = new Headers({ origin: new URL(serverConfig().publicUrl).origin });
  const userAgent = caller.request.headers.get('user-agent');
  if (userAgent) headers.set('user-agent', userAgent);
  const response = await apiFetch('/api/auth/guest', { method: 'POST', headers });
  if (!response.ok) throw await ApiError.from(response);
  const { user } = (await response.json()) as { user: SessionUser };
  for (const header of response.headers.getSetCookie()) forwardSetCookie(caller.cookies, header);
  if (!caller.cookies.get(SESSION_COOKIE)) throw new ApiError(502, 'NO_SESSION', 'The API created a guest account but sent no session cookie');
  return { user, created: true };
}

/** Re-issues one of the API's Set-Cookie headers through SvelteKit, keeping its attributes. */
function forwardSetCookie(cookies: Cookies, header: string): void {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  if (eq <= 0) return;
  const name = pair.slice(0, eq);
  const value = decodeURIComponent(pair.slice(eq + 1));
  const options: Parameters<Cookies['set']>[2] = { path: '/', httpOnly: false, secure: false };
  for (const attribute of attributes) {
    const [key = '', raw = ''] = attribute.split('=', 2);
    switch (key.toLowerCase()) {
      case 'path':
        options.path = raw;
        break;
      case 'expires':
        options.expires = new Date(raw);
        break;
      case 'max-age':
        options.maxAge = Number(raw);
        break;
      case 'httponly':
        options.httpOnly = true;
        break;
      case 'secure':
        options.secure = true;
        break;
      case 'samesite':
        options.sameSite = raw.toLowerCase() as 'lax' | 'strict' | 'none';
        break;
      case 'domain':
        options.domain = raw;
        break;
    }
  }
  cookies.set(name, value, options);
}

/** Ends a server load with an error page that says what the API said (or that it is down). */
export function failLoad(cause: unknown): never {
  if (cause instanceof ApiError && cause.status < 500) error(cause.status, { message: cause.message, code: cause.code });
  if (cause instanceof ApiError) error(502, { message: cause.message, code: cause.code });
  error(502, { message: `The API is not reachable: ${(cause as Error).message}`, code: 'API_UNREACHABLE' });
}
