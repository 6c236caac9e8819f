// The one place the API talks to OpenAI: the official SDK (Chat Completions with structured
// outputs), pointed at OPENAI_BASE_URL when set (a local server speaking the same wire protocol in
// tests). Every failure becomes a stable code the page can explain; the callers fall back to the
// offline coach.
import OpenAI from 'openai';
import { makeParseableResponseFormat, type AutoParseableResponseFormat } from 'openai/lib/parser';
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Config } from '@rehearse/core/config';

export type Ai = { client: OpenAI; model: string };

/** The SDK client, or null when no key is configured (the offline coach). */
export function createAi(config: Config['ai']): Ai | null {
  if (!config.openaiApiKey) return null;
  const client = new OpenAI({
    apiKey: config.openaiApiKey,
    ...(config.openaiBaseUrl ? { baseURL: config.openaiBaseUrl } : {}),
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
  return { client, model: config.model };
}

/** A strict JSON-schema response format whose output the SDK parses and this schema checks. */
export function structuredOutput<T extends TSchema>(name: string, schema: T): AutoParseableResponseFormat<Static<T>> {
  const check = Compile(schema);
  // TypeBox schemas are JSON Schema; the round trip drops TypeBox's own (symbol) keys.
  const jsonSchema = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return makeParseableResponseFormat({ type: 'json_schema', json_schema: { name, strict: true, schema: jsonSchema } }, (content) => {
    const value: unknown = JSON.parse(content);
    if (!check.Check(value)) {
      const first = [...check.Errors(value)][0];
      throw new AiError('AI_MALFORMED', `The model's answer did not have the expected shape (${first ? `${first.instancePath || '/'} ${first.message}` : 'invalid'})`);
    }
    return value as Static<T>;
  });
}

export type AiErrorCode = 'AI_RATE_LIMITED' | 'AI_TIMEOUT' | 'AI_UNREACHABLE' | 'AI_REFUSED' | 'AI_MALFORMED' | 'AI_INTERRUPTED' | 'AI_FAILED';

export class AiError extends Error {
  readonly code: AiErrorCode;
  constructor(code: AiErrorCode, message: string) {
    super(message);
    this.name = 'AiError';
    this.code = code;
  }
}

/** What went wrong, in words for the candidate (no keys, no internals). */
export function describeAiError(error: unknown): AiError {
  if (error instanceof AiError) return error;
  // undici: the connection dropped after the headers (the stream helper wraps it, the SDK does not retry it).
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof TypeError && cause.message === 'terminated') return new AiError('AI_UNREACHABLE', 'The connection to the AI service dropped while it was answering.');
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new AiError('AI_TIMEOUT', 'The AI service took too long to answer.');
  if (error instanceof OpenAI.APIUserAbortError) return new AiError('AI_INTERRUPTED', 'The AI feedback was interrupted (the server was restarting).');
  if (error instanceof OpenAI.APIConnectionError) return new AiError('AI_UNREACHABLE', 'The AI service could not be reached.');
  if (error instanceof OpenAI.RateLimitError) return new AiError('AI_RATE_LIMITED', 'The AI service is busy (rate limited); try again in a minute.');
  if (error instanceof OpenAI.APIError) return new AiError('AI_FAILED', `The AI service answered with an error (${error.status ?? 'no status'}).`);
  if (error instanceof SyntaxError) return new AiError('AI_MALFORMED', 'The AI service sent an answer that could not be read.');
  // The SDK's own parse errors (content cut off by the length limit, content filter).
  if (error instanceof OpenAI.OpenAIError) return new AiError('AI_MALFORMED', `The AI service's answer was incomplete: ${error.message}`);
  return new AiError('AI_FAILED', 'The AI feedback failed.');
}
