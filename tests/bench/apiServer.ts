// The API under benchmark, in its own process (the load generator must not share its CPU time):
// real PostgreSQL and S3, the whole app, plus a bare Fastify route as the baseline. Prints one
// JSON line with the addresses and a session cookie, then serves until killed.
import Fastify from 'fastify';
import { startApi } from '../support/api.ts';

const api = await startApi();
const { app, origin } = api;
await app.listen({ port: 0, host: '127.0.0.1' });
const guest = await app.inject({ method: 'POST', url: '/api/auth/guest', headers: { origin } });
const cookie = `rehearse_session=${guest.cookies.find((c) => c.name === 'rehearse_session')!.value}`;

const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
await bare.listen({ port: 0, host: '127.0.0.1' });

const port = (server: typeof bare | typeof app) => (server.server.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ api: `http://127.0.0.1:${port(app)}`, bare: `http://127.0.0.1:${port(bare)}`, cookie })}\n`);
process.on('SIGTERM', async () => {
  await bare.close();
  await api.stop();
  process.exit(0);
});
