// The web server's own readiness (load balancers, Kubernetes): it answers once it serves pages.
// Whether the API, the database and the media nodes are healthy is the API's GET /health.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
