import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One line per request (`GET /health 200 12 ms`) instead of Fastify's two multi-line entries;
 * health probes, which load balancers and the landing page repeat, only at debug level.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.trace('incoming request');
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = `${request.method} ${request.url} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else if (request.url === '/health') reply.log.debug(line);
    else reply.log.info(line);
  }
}
