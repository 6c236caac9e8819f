import type { Handle, ServerInit } from '@sveltejs/kit/hooks';
import { serverConfig } from '#lib/server/config.ts';

export const init: ServerInit = () => {
  // Validates the configuration at boot: a bad setting stops the server before any request.
  serverConfig();
};

// Per-connection headers (RFC 9110 §7.6.1) are not forwarded; `host` becomes the API's.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

/**
 * The browser talks to the API through this origin (`/api/…`), so the session cookie stays
 * first-party and HttpOnly. Method, headers (Cookie, Origin, Sec-Fetch-Site, User-Agent: the API's
 * CSRF check and sessions read them) and body stream through both ways; status and every
 * Set-Cookie come back unchanged.
 */
async function proxyToApi(request: Request, clientAddress: string, url: URL): Promise<Response> {
  const headers = new Headers();
  for (const [name, value] of request.headers) if (!HOP_BY_HOP.has(name)) headers.append(name, value);
  const forwardedFor = request.headers.get('x-forwarded-for');
  headers.set('x-forwarded-for', forwardedFor ? `${forwardedFor}, ${clientAddress}` : clientAddress);
  // fetch would decompress an encoded body behind our back; the API is on the internal network.
  headers.set('accept-encoding', 'identity');

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(new URL(url.pathname + url.search, serverConfig().apiInternalUrl), {
      method: request.method,
      headers,
      body: hasBody ? request.body : null,
      // Streams the request body instead of buffering it (required by fetch for a stream body).
      ...(hasBody ? { duplex: 'half' } : {}),
      redirect: 'manual',
      signal: request.signal,
    } as RequestInit);
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const message = `The API is not reachable: ${(error as Error).message}`;
    return Response.json({ error: { code: 'API_UNREACHABLE', message } }, { status: 502 });
  }

  const responseHeaders = new Headers();
  for (const [name, value] of upstream.headers) if (!HOP_BY_HOP.has(name) && name !== 'set-cookie') responseHeaders.append(name, value);
  for (const cookie of upstream.headers.getSetCookie()) responseHeaders.append('set-cookie', cookie);
  if (upstream.headers.has('content-encoding')) {
    // fetch decoded it after all: the length and encoding no longer describe the body.
    responseHeaders.delete('content-encoding');
    responseHeaders.delete('content-length');
  }
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
}

export const handle: Handle = ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/api/')) return proxyToApi(event.request, event.getClientAddress(), event.url);
  return resolve(event);
};
