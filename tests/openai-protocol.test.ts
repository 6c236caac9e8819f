// The local OpenAI Chat Completions server, driven only through the official `openai` SDK: plain
// and structured (zod) answers, streamed and not, refusals, rate limits and the SDK's retry,
// errors, timeouts, truncated JSON and dropped streams, and what the server records.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError, OpenAIError, RateLimitError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultBehaviour, startOpenAiTestServer, type OpenAiTestServer } from '@rehearse/testkit/openaiServer';

const API_KEY = 'sk-test-rehearse-0123456789';
const MODEL = 'gpt-test-mini';

const Feedback = z.object({
  summary: z.string(),
  score: z.number().int().min(1).max(5),
  tone: z.enum(['calm', 'rushed', 'flat']),
  strengths: z.array(z.string()).min(2),
  nextStep: z.object({ title: z.string(), minutes: z.number().min(5) }),
  followUp: z.string().nullable(),
  filler: z.boolean(),
});
type Feedback = z.infer<typeof Feedback>;
const feedbackFormat = zodResponseFormat(Feedback, 'feedback');
const FEEDBACK: Feedback = {
  summary: 'Clear structure, the result came late.',
  score: 4,
  tone: 'calm',
  strengths: ['structure', 'ownership'],
  nextStep: { title: 'Lead with the outcome', minutes: 10 },
  followUp: null,
  filler: false,
};
const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You coach interview answers.' },
  { role: 'user', content: 'Tell me about a time you shipped under pressure.' },
];

describe('OpenAI Chat Completions test server', () => {
  let server: OpenAiTestServer;
  const client = (options: { maxRetries?: number; timeout?: number; apiKey?: string } = {}) => new OpenAI({ apiKey: options.apiKey ?? API_KEY, baseURL: server.url, maxRetries: options.maxRetries ?? 0, timeout: options.timeout ?? 10_000 });

  beforeAll(async () => {
    server = await startOpenAiTestServer({ apiKey: API_KEY });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.rejected.length = 0;
  });

  it('answers a plain completion in the chat.completion shape and records the request', async () => {
    server.enqueue({ kind: 'content', content: 'Lead with the result.' });
    const { data: completion, request_id } = await client().chat.completions.create({ model: MODEL, messages, temperature: 0.2 }).withResponse();
    expect(completion).toMatchObject({ object: 'chat.completion', model: MODEL, choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'Lead with the result.', refusal: null } }] });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    expect(request_id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.body).toMatchObject({ model: MODEL, messages, temperature: 0.2 });
  });

  it('answers with a short text by default when no schema is asked for', async () => {
    const completion = await client().chat.completions.create({ model: MODEL, messages });
    const content = completion.choices[0]!.message.content;
    expect(typeof content).toBe('string');
    expect(content!.length).toBeGreaterThan(0);
  });

  it('returns the parsed object from chat.completions.parse and records the response_format sent', async () => {
    server.enqueue({ kind: 'content', content: FEEDBACK });
    const completion = await client().chat.completions.parse({ model: MODEL, messages, response_format: feedbackFormat });
    const message = completion.choices[0]!.message;
    expect(message.parsed).toEqual(FEEDBACK);
    expect(JSON.parse(message.content!)).toEqual(FEEDBACK);
    const body = server.requests[0]!.body;
    expect(body.messages).toEqual(messages);
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'feedback', strict: true, schema: feedbackFormat.json_schema.schema } });
    expect(body.response_format?.type === 'json_schema' && body.response_format.json_schema.schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['summary', 'score', 'nextStep']) });
  });

  it('answers a json_schema request by default with an instance the zod schema accepts', async () => {
    const completion = await client().chat.completions.parse({ model: MODEL, messages, response_format: feedbackFormat });
    const parsed = completion.choices[0]!.message.parsed;
    expect(parsed).not.toBeNull();
    expect(Feedback.safeParse(parsed).success).toBe(true);
    expect(parsed!.strengths.length).toBeGreaterThanOrEqual(2);
    expect(parsed!.tone).toBe('calm'); // the first enum value
    expect(parsed!.score).toBe(1); // the minimum
  });

  it('resolves $ref/$defs, anyOf and bounds in a hand-written schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        answer: { $ref: '#/$defs/answer' },
        mode: { anyOf: [{ type: 'null' }, { type: 'string', enum: ['mock', 'live'] }] },
        tags: { type: 'array', items: { type: 'string', minLength: 3 }, minItems: 3 },
        delay: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 2 },
        kind: { const: 'answer' },
      },
      required: ['answer', 'mode', 'tags', 'delay', 'kind'],
      additionalProperties: false,
      $defs: { answer: { type: 'object', properties: { words: { type: 'integer', minimum: 20 }, at: { type: 'string', format: 'date-time' } }, required: ['words', 'at'], additionalProperties: false } },
    };
    const Same = z.object({ answer: z.object({ words: z.number().int().min(20), at: z.iso.datetime() }).strict(), mode: z.enum(['mock', 'live']).nullable(), tags: z.array(z.string().min(3)).min(3), delay: z.number().gt(0).max(2).nullable(), kind: z.literal('answer') }).strict();
    const completion = await client().chat.completions.create({ model: MODEL, messages, response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema } } });
    const value: unknown = JSON.parse(completion.choices[0]!.message.content!);
    expect(Same.parse(value)).toMatchObject({ answer: { words: 20 }, mode: 'mock', kind: 'answer' });
  });

  it('streams a structured answer: content.delta events with a growing parsed value, then the parsed final completion', async () => {
    server.enqueue({ kind: 'content', content: FEEDBACK, chunkSize: 12 });
    const stream = client().chat.completions.stream({ model: MODEL, messages, response_format: feedbackFormat, stream_options: { include_usage: true } });
    const deltas: { delta: string; snapshot: string; parsed: unknown }[] = [];
    stream.on('content.delta', (event) => deltas.push(event));
    const completion = await stream.finalChatCompletion();
    const text = JSON.stringify(FEEDBACK);
    expect(deltas).toHaveLength(Math.ceil(text.length / 12));
    expect(deltas.map((d) => d.delta).join('')).toBe(text);
    expect(deltas.at(-1)!.snapshot).toBe(text);
    const keyCounts = deltas.map((d) => (d.parsed && typeof d.parsed === 'object' ? Object.keys(d.parsed).length : 0));
    for (let i = 1; i < keyCounts.length; i++) expect(keyCounts[i]!).toBeGreaterThanOrEqual(keyCounts[i - 1]!);
    expect(keyCounts[0]!).toBeLessThan(keyCounts.at(-1)!);
    expect(new Set(deltas.map((d) => JSON.stringify(d.parsed))).size).toBeGreaterThanOrEqual(3);
    expect(deltas.at(-1)!.parsed).toEqual(FEEDBACK);
    expect(completion.choices[0]!.message.parsed).toEqual(FEEDBACK);
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.model).toBe(MODEL);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, response_format: { type: 'json_schema' } });
  });

  it('streams raw chunks ending with a usage chunk through create({ stream: true })', async () => {
    server.enqueue({ kind: 'content', content: 'one two three four', chunkSize: 4 });
    const stream = await client().chat.completions.create({ model: MODEL, messages, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.delta.content ?? '')).join('')).toBe('one two three four');
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.total_tokens).toBeGreaterThan(0);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0]!.id)).toBe(true);
  });

  it('paces the stream: the first token comes after firstChunkDelayMs', async () => {
    server.enqueue({ kind: 'content', content: 'Pause, then answer.', firstChunkDelayMs: 300, chunkDelayMs: 20 });
    const stream = client().chat.completions.stream({ model: MODEL, messages });
    const firstToken = new Promise<number>((resolve) => stream.once('content.delta', () => resolve(performance.now())));
    await server.waitForRequests(1);
    const arrived = server.requests[0]!.at;
    expect(await firstToken - arrived).toBeGreaterThanOrEqual(280);
    expect((await stream.finalContent())).toBe('Pause, then answer.');
  });

  it('returns a refusal with parsed null, not streamed', async () => {
    server.enqueue({ kind: 'refusal', text: "I can't help with that." });
    const completion = await client().chat.completions.parse({ model: MODEL, messages, response_format: feedbackFormat });
    const message = completion.choices[0]!.message;
    expect(message.refusal).toBe("I can't help with that.");
    expect(message.content).toBeNull();
    expect(message.parsed).toBeNull();
  });

  it('streams a refusal as refusal deltas, with parsed null at the end', async () => {
    server.enqueue({ kind: 'refusal', text: "I can't help with that request.", chunkSize: 5 });
    const stream = client().chat.completions.stream({ model: MODEL, messages, response_format: feedbackFormat });
    const refusalDeltas: string[] = [];
    let contentDeltas = 0;
    let done: string | undefined;
    stream.on('refusal.delta', (event) => refusalDeltas.push(event.delta));
    stream.on('content.delta', () => contentDeltas++);
    stream.on('refusal.done', (event) => (done = event.refusal));
    const completion = await stream.finalChatCompletion();
    expect(refusalDeltas.length).toBeGreaterThan(3);
    expect(refusalDeltas.join('')).toBe("I can't help with that request.");
    expect(done).toBe("I can't help with that request.");
    expect(contentDeltas).toBe(0);
    expect(completion.choices[0]!.message).toMatchObject({ refusal: "I can't help with that request.", content: null, parsed: null });
  });

  it('answers 429 with retry-after; the SDK waits that long, retries and gets the next answer', async () => {
    server.enqueue({ kind: 'rateLimit', retryAfterSeconds: 1 }, { kind: 'content', content: FEEDBACK });
    const completion = await client({ maxRetries: 2 }).chat.completions.parse({ model: MODEL, messages, response_format: feedbackFormat });
    expect(completion.choices[0]!.message.parsed).toEqual(FEEDBACK);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(900);
    expect(server.requests[1]!.body).toEqual(server.requests[0]!.body);
    expect(server.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
  });

  it('sends the rate-limit headers and OpenAI error body a RateLimitError exposes', async () => {
    server.enqueue({ kind: 'rateLimit', retryAfterSeconds: 7 });
    const error = await client().chat.completions.create({ model: MODEL, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests', param: null });
    expect(rateLimit.headers.get('retry-after')).toBe('7');
    expect(rateLimit.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(rateLimit.headers.get('x-ratelimit-reset-requests')).toBe('7s');
    expect(rateLimit.requestID).toMatch(/^req_/);
    expect(server.requests).toHaveLength(1);
  });

  it('answers an error behaviour with its status and code; 5xx are retried by the SDK', async () => {
    server.enqueue({ kind: 'error', status: 400, code: 'context_length_exceeded', message: 'Too long.' });
    const bad = await client({ maxRetries: 2 }).chat.completions.create({ model: MODEL, messages }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad).toMatchObject({ status: 400, code: 'context_length_exceeded', type: 'invalid_request_error', message: '400 Too long.' });
    expect(server.requests).toHaveLength(1);

    server.enqueue({ kind: 'error', status: 503 }, { kind: 'error', status: 500 });
    const failed = await client({ maxRetries: 1 }).chat.completions.create({ model: MODEL, messages }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(InternalServerError);
    expect(failed).toMatchObject({ status: 500, type: 'server_error' });
    expect(server.requests).toHaveLength(3);
  });

  it('never answers a hanging request, so the SDK times out', async () => {
    server.enqueue({ kind: 'hang' });
    const started = performance.now();
    const error = await client({ timeout: 300, maxRetries: 0 }).chat.completions.create({ model: MODEL, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(server.requests).toHaveLength(1);
  });

  it('sends truncated JSON for malformed: parse throws, and the stream fails at the end', async () => {
    server.enqueue({ kind: 'malformed' });
    const parseError = await client().chat.completions.parse({ model: MODEL, messages, response_format: feedbackFormat }).catch((e: unknown) => e);
    expect(parseError).toBeInstanceOf(SyntaxError);

    server.enqueue({ kind: 'malformed' });
    const raw = await client().chat.completions.create({ model: MODEL, messages, response_format: feedbackFormat });
    expect(raw.choices[0]!.finish_reason).toBe('stop');
    expect(() => JSON.parse(raw.choices[0]!.message.content!)).toThrow();

    server.enqueue({ kind: 'malformed', chunkSize: 10 });
    const stream = client().chat.completions.stream({ model: MODEL, messages, response_format: feedbackFormat });
    let deltas = 0;
    stream.on('content.delta', () => deltas++);
    // The stream wraps the SyntaxError from the final parse in an OpenAIError (cause: the SyntaxError).
    const streamError = await stream.finalChatCompletion().catch((e: unknown) => e);
    expect(streamError).toBeInstanceOf(OpenAIError);
    expect((streamError as OpenAIError).cause).toBeInstanceOf(SyntaxError);
    expect(deltas).toBeGreaterThan(1);
  });

  it('drops the connection mid-stream: the stream errors after the first deltas', async () => {
    server.enqueue({ kind: 'dropMidStream', afterChunks: 3, chunkSize: 6 });
    const stream = client().chat.completions.stream({ model: MODEL, messages, response_format: feedbackFormat });
    const deltas: string[] = [];
    stream.on('content.delta', (event) => deltas.push(event.delta));
    let emitted: unknown;
    stream.on('error', (e) => (emitted = e));
    // undici's `TypeError: terminated` (cause: other side closed), wrapped by the stream helper.
    const streamError = await stream.finalChatCompletion().catch((e: unknown) => e);
    expect(streamError).toBeInstanceOf(OpenAIError);
    expect((streamError as OpenAIError).cause).toBeInstanceOf(TypeError);
    expect(emitted).toBe(streamError);
    expect(deltas).toHaveLength(2); // the role chunk, then two content chunks

    server.enqueue({ kind: 'dropMidStream', afterChunks: 2 });
    const chunks = await client().chat.completions.create({ model: MODEL, messages, stream: true });
    let received = 0;
    const read = async () => {
      for await (const _chunk of chunks) received++;
    };
    await expect(read()).rejects.toThrow(TypeError);
    expect(received).toBe(2);

    // Not streamed: half the body, then the socket goes; a failure after the headers is not retried.
    server.requests.length = 0;
    server.enqueue({ kind: 'dropMidStream', afterChunks: 0 });
    await expect(client({ maxRetries: 2 }).chat.completions.create({ model: MODEL, messages })).rejects.toThrow(/terminated/);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a wrong API key with 401 invalid_api_key (AuthenticationError), not retried', async () => {
    const error = await client({ apiKey: 'sk-wrong-key-0000', maxRetries: 2 }).chat.completions.create({ model: MODEL, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    expect((error as AuthenticationError).message).not.toContain('sk-wrong-key-0000');
    expect(server.requests).toHaveLength(0);
    expect(server.rejected).toMatchObject([{ status: 401, path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-wrong-key-0000' } }]);
  });

  it('answers 404 for other paths and 400 for a body without model', async () => {
    const notFound = await client().post('/embeddings', { body: { model: MODEL, input: 'x' } }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toMatchObject({ status: 404, type: 'invalid_request_error' });

    const noModel = { messages } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    const badRequest = await client().chat.completions.create(noModel).catch((e: unknown) => e);
    expect(badRequest).toBeInstanceOf(BadRequestError);
    const noMessages = { model: MODEL } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    const missing = await client().chat.completions.create(noMessages).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 400, param: 'messages', code: 'missing_required_parameter' });
    expect(server.rejected.map((r) => r.status)).toEqual([404, 400, 400]);
    expect(server.requests).toHaveLength(0);
  });

  it('asks the responder when the queue is empty', async () => {
    server.setResponder((request) => ({ kind: 'content', content: `echo: ${request.body.messages.length}` }));
    try {
      server.enqueue({ kind: 'content', content: 'queued first' });
      const first = await client().chat.completions.create({ model: MODEL, messages });
      const second = await client().chat.completions.create({ model: MODEL, messages });
      expect(first.choices[0]!.message.content).toBe('queued first');
      expect(second.choices[0]!.message.content).toBe('echo: 2');
    } finally {
      server.setResponder(defaultBehaviour);
    }
  });
});

describe('closing the OpenAI test server', () => {
  it('ends a hanging request and keep-alive sockets, so close() and the client both finish', async () => {
    const server = await startOpenAiTestServer({ apiKey: API_KEY, responder: () => ({ kind: 'hang' }) });
    const client = new OpenAI({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, timeout: 60_000 });
    server.enqueue({ kind: 'content', content: 'keep-alive' });
    await client.chat.completions.create({ model: MODEL, messages }); // leaves an idle keep-alive socket
    const hanging = client.chat.completions.create({ model: MODEL, messages }).catch((e: unknown) => e);
    const waiting = server.waitForRequests(3).catch((e: unknown) => e);
    await server.waitForRequests(2);
    const started = performance.now();
    await server.close();
    expect(await hanging).toBeInstanceOf(APIConnectionError);
    expect(await waiting).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
