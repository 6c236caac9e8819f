import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { ErrorBody } from '@rehearse/protocol';

export { ErrorBody };


/** A 4xx the client can act on: `code` is stable, `message` is for people. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  /** Structured facts a client can act on (e.g. which limit, and the plan that lifts it). */
  readonly details: unknown;

  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

/**
 * The one error handler. Validation failures and HttpErrors answer with their code and message;
 * anything else is a 500 that hides internals and is logged with the request id.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: error.message } });
      }
      if (error instanceof HttpError) {
        return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
      }
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const limit = request.routeOptions.bodyLimit;
        return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${limit ? (limit < 1024 * 1024 ? `${Math.round(limit / 1024)} KiB` : `${Math.round((limit / 1024 / 1024) * 10) / 10} MiB`) : 'this route accepts'}`, details: { limitBytes: limit } } });
      }
      const status = error.statusCode ?? 500;
      if (status < 500) {
        return reply.status(status).send({ error: { code: error.code ?? 'BAD_REQUEST', message: error.message } });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: `Something went wrong (request ${request.id})` } });
    });
    app.setNotFoundHandler((request, reply) => {
      reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}` } });
    });
  },
  { name: 'errors' },
);
