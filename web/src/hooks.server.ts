import type { Handle, ServerInit } from '@sveltejs/kit/hooks';
import { MAX_UPLOAD_BYTES } from '@rehearse/core/limits';
import { serverConfig } from '#lib/server/config.ts';

export const init: ServerInit = () => {
  // Validates the configuration at boot: a bad setting stops the server before any request.
  serverConfig();
};

// Per-connection headers (RFC 9110 §7.6.1) are not forwarded; `host` becomes the API's.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

/** SvelteKit refuses an oversized body by erroring its stream with a 413; fetch wraps that as a cause. */
function causeWithStatus(error: unknown, status: number): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { status?: number }).status === status) return true;
  }
  return false;
}

/**
 * The browser talks to the API through this origin (`/api/…`), so the session cookie stays
 * first-party and HttpOnly. Method, headers (Cookie, Origin, Sec-Fetch-Site, User-Agent: the API's
 * CSRF check and sessions read them) and body stream through both ways; status and every
 * Set-Cookie come back unchanged.
 */
async function proxyToApi(request: Request, clientAddress: string, url: URL): Promise<Response> {
  const headers = new Headers();
  for (const [name, value] of request.headers) if (!HOP_BY_HOP.has(name)) headers.append(name, value);
  // Set, never appended: the API believes this header from us, so what a client put in it must not
  // reach the API (web/serve.ts has already taken the one address that can be believed).
  headers.set('x-forwarded-for', clientAddress);
  headers.delete('x-rehearse-client-address');
  // fetch would decompress an encoded body behind our back; the API is on the internal network.
  headers.set('accept-encoding', 'identity');

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    // The body is read whole first (at most MAX_UPLOAD_BYTES, which web/serve.ts enforces): an API
    // route that refuses a body early (413 for its own smaller limit) answers before it has read it,
    // and fetch drops such an answer when it is still streaming the body.
    const body = hasBody ? await request.arrayBuffer() : null;
    upstream = await fetch(new URL(url.pathname + url.search, serverConfig().apiInternalUrl), {
      method: request.method,
      headers,
      body,
      redirect: 'manual',
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const tooLarge = causeWithStatus(error, 413);
    if (tooLarge) return Response.json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${MAX_UPLOAD_BYTES / (1024 * 1024)} MiB, the most this server accepts` } }, { status: 413 });
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

/**
 * Headers on every page. SvelteKit writes the Content-Security-Policy (vite.config.ts: nonces for
 * its own inline scripts); the media server's signaling WebSocket is on another origin, known only
 * at run time, so it joins connect-src here.
 */
function securePage(response: Response): Response {
  const csp = response.headers.get('content-security-policy');
  if (csp) {
    response.headers.set('content-security-policy', csp.replace(/connect-src ([^;]*)/, `connect-src $1 ${serverConfig().media.origins.join(' ')}`));
  }
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  // The practice and call pages use the camera and microphone; nothing else may, and no frame.
  response.headers.set('permissions-policy', 'camera=(self), microphone=(self), geolocation=(), payment=()');
  return response;
}

export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/api/')) return proxyToApi(event.request, event.getClientAddress(), event.url);
  return securePage(await resolve(event));
};
