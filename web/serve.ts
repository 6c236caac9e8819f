// The web process: `node web/serve.ts` serves the SvelteKit build (adapter-node's handler).
// adapter-node takes the page origin from build-time config or proxy headers and otherwise
// assumes https; here the origin comes from PUBLIC_URL, so SvelteKit's own CSRF check compares
// form posts with the address people really open. A TLS proxy in front sets the header itself.
import http from 'node:http';
import proxyaddr from '@fastify/proxy-addr';
import { loadConfigOrExit } from '@rehearse/core/config';
import { describeListenError } from '@rehearse/core/errors';
import { MAX_UPLOAD_BYTES } from '@rehearse/core/limits';
import { createRegistry, httpDurationHistogram, startMetricsListener } from '@rehearse/core/metrics';
import { onShutdown } from '@rehearse/core/process';

const config = loadConfigOrExit('web');
const publicProtocol = new URL(config.publicUrl).protocol.replace(':', '');
const PROTOCOL_HEADER = 'x-forwarded-proto';
// The visitor's address, as this server determined it: the connection's own, or — only when the
// connection comes from a configured TRUSTED_PROXIES address — the nearest untrusted hop of
// X-Forwarded-For. Whatever a client sends in this header is overwritten.
const ADDRESS_HEADER = 'x-rehearse-client-address';
const trusted = proxyaddr.compile(config.trustedProxies);
// adapter-node reads its settings from the environment when its handler loads.
process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
process.env.ADDRESS_HEADER = ADDRESS_HEADER;
// Bodies above this are refused here with 413 (hooks.server.ts says so in the usual error body).
process.env.BODY_SIZE_LIMIT = String(MAX_UPLOAD_BYTES);
// Built by `vite build`; imported by URL so type-checking does not depend on the build.
const { handler } = (await import(new URL('./build/handler.js', import.meta.url).href)) as { handler: http.RequestListener };

// Latency by kind of request: the app's static assets, the API and media proxies, or pages (one
// series each, not one per URL).
const metrics = createRegistry('web');
const duration = httpDurationHistogram(metrics);
const routeOf = (url = '/'): string => (url.startsWith('/_app/') ? '/_app/*' : url.startsWith('/api/') ? '/api/*' : 'page');

const server = http.createServer((req, res) => {
  const started = performance.now();
  res.once('finish', () => duration.observe({ method: req.method ?? 'GET', route: routeOf(req.url), status_code: String(res.statusCode) }, (performance.now() - started) / 1000));
  req.headers[PROTOCOL_HEADER] ??= publicProtocol;
  req.headers[ADDRESS_HEADER] = proxyaddr(req, trusted);
  handler(req, res);
});
server.once('error', (error) => {
  process.stderr.write(`[web] ${describeListenError(error, 'web server', config.ports.web).message}\n`);
  process.exit(1);
});
server.listen(config.ports.web, config.host, () => process.stdout.write(`[web] listening on http://${config.host}:${config.ports.web}\n`));
const metricsListener = await startMetricsListener('web', metrics, config.metrics);
onShutdown(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await metricsListener?.close();
});
