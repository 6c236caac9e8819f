import type { FastifyInstance } from 'fastify';
import type { SignalingServices } from './context.ts';
import { Connection } from './Connection.ts';

/** GET /signaling: the WebSocket pages open with a join token (needs @fastify/websocket registered). */
export async function signalingRoutes(app: FastifyInstance, { services, allowedOrigin }: { services: SignalingServices; allowedOrigin: string }): Promise<void> {
  app.get('/signaling', { websocket: true }, (socket, request) => {
    // Browsers always send Origin on WebSocket upgrades: refuse pages of other sites outright.
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== allowedOrigin) {
      socket.close(1008, 'origin not allowed');
      return;
    }
    new Connection(socket, services);
  });
}
