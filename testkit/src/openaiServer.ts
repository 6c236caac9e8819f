// A local server that speaks the OpenAI REST API's Chat Completions wire protocol
// (POST /v1/chat/completions) so the official `openai` SDK can be tested here without the internet:
// point its `baseURL` at `url`. It checks the Bearer API key, records every request, and answers
// each one from a queue of behaviours (content, refusal, 429 with retry headers, API errors, a
// request that never answers, truncated JSON, a stream cut mid-way), then from a responder.
// The default responder answers a `json_schema` response format with a deterministic valid
// instance of the schema, anything else with a short text. Streamed answers are `text/event-stream`
// `chat.completion.chunk` events ending in `data: [DONE]`. Response shapes are typed against the
// SDK's own types. A test double only: production code never imports it.
import { randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

/** The JSON body of a Chat Completions request, as the SDK sends it. */
export type ChatCompletionRequestBody = ChatCompletionCreateParams;

/** Chunking and pacing of an answer. A non-streamed answer is sent after the whole (simulated) generation time. */
export interface Pacing {
  /** Characters per streamed content delta (default 8). */
  chunkSize?: number;
  /** Delay between content deltas, ms (default 0). */
  chunkDelayMs?: number;
  /** Delay before the first content delta (time to first token), ms (default 0). */
  firstChunkDelayMs?: number;
}

/** How the server answers one request. */
export type Behaviour =
  /** A `stop` answer with this content (an object is sent as its JSON), streamed in deltas when the request has `stream: true`. */
  | ({ kind: 'content'; content: string | object } & Pacing)
  /** The model declines: `refusal` set and `content` null (refusal deltas when streamed). */
  | ({ kind: 'refusal'; text: string } & Pacing)
  /** 429 with `retry-after` (seconds) and `x-ratelimit-*` headers and OpenAI's rate-limit error body. */
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  /** An API error with OpenAI's error body; `code` defaults to null, the message to a generic one. */
  | { kind: 'error'; status: number; code?: string; message?: string }
  /** Never answers, until the client gives up or the server closes: for timeouts. */
  | { kind: 'hang' }
  /** A 200 `stop` answer whose content is the default answer's JSON cut in half (invalid JSON). */
  | ({ kind: 'malformed' } & Pacing)
  /** Sends the headers and the first `afterChunks` events of the default answer, then destroys the socket. */
  | ({ kind: 'dropMidStream'; afterChunks: number } & Pacing);

export interface RecordedRequest {
  /** performance.now() when the request's headers arrived. */
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: ChatCompletionRequestBody;
}

/** A request answered with 400, 401 or 404 before any behaviour ran. */
export interface RejectedRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
  /** The raw body. */
  body: string;
}

export type Responder = (request: RecordedRequest) => Behaviour;

export interface OpenAiTestServerOptions {
  apiKey: string;
  /** Decides the answer when the queue is empty (default: {@link defaultBehaviour}). */
  responder?: Responder;
}

export interface OpenAiTestServer {
  /** http://127.0.0.1:PORT/v1, the SDK's `baseURL`. */
  url: string;
  /** Every accepted Chat Completions request (valid key, path and body), in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests refused before a behaviour ran (wrong key, unknown path, invalid body). */
  readonly rejected: RejectedRequest[];
  /** Behaviours for the next requests, in order; when the queue is empty the responder (or the default) answers. */
  enqueue(...behaviours: Behaviour[]): void;
  /** Decides the answer for a request when the queue is empty. */
  setResponder(fn: Responder): void;
  /** Resolves when `n` requests have been accepted (for latency measurements); rejects if the server closes first. */
  waitForRequests(n: number): Promise<void>;
  /** Ends hanging requests, open streams and keep-alive sockets, and stops listening. */
  close(): Promise<void>;
}

const DEFAULT_TEXT = 'Thanks, that was a clear answer. Try to add one concrete example.';
const DEFAULT_CHUNK_SIZE = 8;

/** A deterministic value valid for a JSON schema: the default responder's structured answer. */
export function schemaInstance(schema: unknown): unknown {
  return instance(schema, schema, undefined, 0);
}

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberOr = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new Error(`openai test server: only local $ref is supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchema(node) || !(key in node)) throw new Error(`openai test server: unresolvable $ref ${ref}`);
    node = node[key];
  }
  return node;
}

const FORMATS: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00',
  duration: 'P1D',
  email: 'user@example.com',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
};

function instance(schema: unknown, root: unknown, key: string | undefined, depth: number): unknown {
  if (!isSchema(schema)) return null; // `true` / `{}`-like: anything goes.
  // Deep in a recursive schema, prefer the choices that stop the recursion.
  const deep = depth > 12;
  if (typeof schema.$ref === 'string') return instance(resolveRef(root, schema.$ref), root, key, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.allOf)) {
    // Every part must hold: merge their keywords (and properties) into one schema.
    const { allOf, ...own } = schema;
    const merged: Schema = {};
    const properties: Schema = {};
    for (const part of [...allOf, own]) {
      const resolved = isSchema(part) && typeof part.$ref === 'string' ? resolveRef(root, part.$ref) : part;
      if (!isSchema(resolved)) continue;
      Object.assign(merged, resolved);
      if (isSchema(resolved.properties)) Object.assign(properties, resolved.properties);
    }
    delete merged.$ref;
    return instance({ ...merged, ...(Object.keys(properties).length > 0 ? { properties } : {}) }, root, key, depth + 1);
  }
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (branches && branches.length > 0) {
    const isNull = (branch: unknown) => isSchema(branch) && branch.type === 'null';
    const chosen = (deep ? branches.find(isNull) : undefined) ?? branches.find((b) => !isNull(b)) ?? branches[0];
    return instance(chosen, root, key, depth + 1);
  }
  const types = Array.isArray(schema.type) ? schema.type.filter((t): t is string => typeof t === 'string') : typeof schema.type === 'string' ? [schema.type] : [];
  let type = (deep && types.includes('null') ? 'null' : types.find((t) => t !== 'null')) ?? types[0];
  type ??= isSchema(schema.properties) ? 'object' : 'items' in schema ? 'array' : undefined;
  switch (type) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, instance(property, root, name, depth + 1)]));
    }
    case 'array': {
      if (Array.isArray(schema.items)) return schema.items.map((item) => instance(item, root, key, depth + 1)); // draft-7 tuple
      const min = numberOr(schema.minItems) ?? 0;
      const max = numberOr(schema.maxItems) ?? Infinity;
      const count = Math.min(max, Math.max(min, deep ? 0 : 1));
      return Array.from({ length: count }, () => instance(schema.items, root, key, depth + 1));
    }
    case 'string': {
      if (typeof schema.format === 'string' && schema.format in FORMATS) return FORMATS[schema.format];
      let text = key ?? 'text';
      const minLength = numberOr(schema.minLength) ?? 0;
      const maxLength = numberOr(schema.maxLength) ?? Infinity;
      if (text.length < minLength) text = text.padEnd(minLength, 'x');
      return text.slice(0, maxLength);
    }
    case 'number':
    case 'integer': {
      // "minimum or 0": 0 when the bounds allow it, else the nearest bound (draft-7 exclusive bounds are numbers).
      const integer = type === 'integer';
      const step = integer ? 1 : 0.5;
      let low = numberOr(schema.minimum) ?? -Infinity;
      let high = numberOr(schema.maximum) ?? Infinity;
      const exclusiveLow = numberOr(schema.exclusiveMinimum);
      const exclusiveHigh = numberOr(schema.exclusiveMaximum);
      if (exclusiveLow !== undefined) low = Math.max(low, exclusiveLow + step);
      if (exclusiveHigh !== undefined) high = Math.min(high, exclusiveHigh - step);
      if (integer) {
        low = Math.ceil(low);
        high = Math.floor(high);
      } else if (low > high) {
        // A narrow open interval: its midpoint.
        const [a, b] = [exclusiveLow ?? numberOr(schema.minimum) ?? 0, exclusiveHigh ?? numberOr(schema.maximum) ?? 0];
        return (a + b) / 2;
      }
      return Math.min(Math.max(0, low), high);
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return null;
  }
}

/** The default answer: a schema instance for a `json_schema` response format, JSON for `json_object`, else a short text. */
export function defaultBehaviour(request: RecordedRequest): Behaviour {
  return { kind: 'content', content: defaultContent(request.body) };
}

function defaultContent(body: ChatCompletionRequestBody): string {
  const format = body.response_format;
  if (format?.type === 'json_schema') return JSON.stringify(schemaInstance(format.json_schema.schema ?? {}));
  if (format?.type === 'json_object') return JSON.stringify({ text: DEFAULT_TEXT });
  return DEFAULT_TEXT;
}

const requestId = () => `req_${randomBytes(16).toString('hex')}`;
const completionId = () => `chatcmpl-${randomBytes(12).toString('base64url')}`;
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
const errorBody = (message: string, type: string, code: string | null, param: string | null = null) => ({ error: { message, type, param, code } });

function validate(value: unknown): { body: ChatCompletionRequestBody } | { error: ReturnType<typeof errorBody> } {
  if (!isSchema(value)) return { error: errorBody('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload.)', 'invalid_request_error', null) };
  if (typeof value.model !== 'string' || value.model === '') return { error: errorBody('you must provide a model parameter', 'invalid_request_error', null) };
  if (!Array.isArray(value.messages)) return { error: errorBody("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages') };
  // The required fields are checked; the rest is passed through as the SDK typed it.
  return { body: value as unknown as ChatCompletionRequestBody };
}

export async function startOpenAiTestServer({ apiKey, responder }: OpenAiTestServerOptions): Promise<OpenAiTestServer> {
  const requests: RecordedRequest[] = [];
  const rejected: RejectedRequest[] = [];
  const queue: Behaviour[] = [];
  let decide: Responder = responder ?? defaultBehaviour;
  const waiters = new Set<{ n: number; resolve: () => void; reject: (error: Error) => void }>();
  const sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let closed = false;

  /** Resolves after `ms` (or at once when the server closes); false when the server closed meanwhile. */
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0 || closed) return resolve(!closed);
      const entry = {
        timer: setTimeout(() => {
          sleeping.delete(entry);
          resolve(!closed);
        }, ms),
        wake: () => resolve(false),
      };
      sleeping.add(entry);
    });
  const gone = (res: ServerResponse) => closed || res.destroyed || res.writableEnded;
  const write = (res: ServerResponse, text: string) => new Promise<void>((resolve) => (gone(res) ? resolve() : res.write(text, () => resolve())));

  const sendJson = (res: ServerResponse, status: number, value: object, headers: Record<string, string> = {}) => {
    if (gone(res)) return;
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-request-id': requestId(), 'openai-processing-ms': '1', ...headers });
    res.end(text);
  };

  const usage = (body: ChatCompletionRequestBody, completion: string): CompletionUsage => {
    const prompt = tokens(JSON.stringify(body.messages));
    const output = tokens(completion);
    return { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } };
  };

  /** Answers with `text` as the message's content or refusal, streamed or not; `dropAfter` cuts the stream after that many events. */
  const answer = async (res: ServerResponse, body: ChatCompletionRequestBody, field: 'content' | 'refusal', text: string, pacing: Pacing, dropAfter?: number) => {
    const pieces: string[] = [];
    const characters = Array.from(text); // never split a surrogate pair
    const size = Math.max(1, Math.floor(pacing.chunkSize ?? DEFAULT_CHUNK_SIZE));
    for (let i = 0; i < characters.length; i += size) pieces.push(characters.slice(i, i + size).join(''));
    const firstDelay = pacing.firstChunkDelayMs ?? 0;
    const delay = pacing.chunkDelayMs ?? 0;
    const id = completionId();
    const created = Math.floor(Date.now() / 1000);
    const model = body.model;

    if (!body.stream) {
      if (dropAfter === undefined && !(await sleep(firstDelay + delay * Math.max(0, pieces.length - 1)))) return;
      const completion: ChatCompletion = {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: field === 'content' ? text : null, refusal: field === 'refusal' ? text : null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
        usage: usage(body, text),
        service_tier: 'default',
      };
      if (dropAfter === undefined) return sendJson(res, 200, completion);
      // Not streamed: the headers and the first half of the body, then the connection goes.
      const whole = JSON.stringify(completion);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(whole)), 'x-request-id': requestId() });
      await write(res, whole.slice(0, Math.floor(whole.length / 2)));
      res.destroy();
      return;
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (delta: ChatCompletionChunk.Choice.Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    const events: { chunk: ChatCompletionChunk; delay: number }[] = [
      // As the API does: the role first, with an empty content (or refusal) to start from.
      { chunk: chunk(field === 'content' ? { role: 'assistant', content: '', refusal: null } : { role: 'assistant', content: null, refusal: '' }), delay: 0 },
      ...pieces.map((piece, i) => ({ chunk: chunk(field === 'content' ? { content: piece } : { refusal: piece }), delay: i === 0 ? firstDelay : delay })),
    ];
    // A drop always happens before the finish chunk, so the stream never completes.
    const cut = dropAfter === undefined ? undefined : Math.max(0, Math.min(Math.floor(dropAfter), events.length));
    events.push({ chunk: chunk({}, 'stop'), delay: 0 });
    if (includeUsage) events.push({ chunk: { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', choices: [], usage: usage(body, text) }, delay: 0 });

    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': requestId(), 'openai-processing-ms': '1' });
    res.flushHeaders();
    for (const [index, event] of events.entries()) {
      if (index === cut) {
        res.destroy();
        return;
      }
      if (!(await sleep(event.delay)) || gone(res)) return;
      await write(res, `data: ${JSON.stringify(event.chunk)}\n\n`);
    }
    await write(res, 'data: [DONE]\n\n');
    if (!gone(res)) res.end();
  };

  const respond = async (res: ServerResponse, request: RecordedRequest, behaviour: Behaviour) => {
    switch (behaviour.kind) {
      case 'content':
        return answer(res, request.body, 'content', typeof behaviour.content === 'string' ? behaviour.content : JSON.stringify(behaviour.content), behaviour);
      case 'refusal':
        return answer(res, request.body, 'refusal', behaviour.text, behaviour);
      case 'malformed': {
        const whole = defaultContent(request.body);
        const truncated = whole.startsWith('{') || whole.startsWith('[') || whole.startsWith('"') ? whole.slice(0, Math.max(1, Math.floor(whole.length / 2))) : `{"text": "${whole.slice(0, 10)}`;
        return answer(res, request.body, 'content', truncated, behaviour);
      }
      case 'dropMidStream':
        return answer(res, request.body, 'content', defaultContent(request.body), behaviour, behaviour.afterChunks);
      case 'rateLimit': {
        const seconds = behaviour.retryAfterSeconds;
        return sendJson(
          res,
          429,
          errorBody(`Rate limit reached for ${request.body.model} in organization org-test on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${seconds}s.`, 'requests', 'rate_limit_exceeded'),
          {
            'retry-after': String(seconds),
            'x-ratelimit-limit-requests': '3',
            'x-ratelimit-remaining-requests': '0',
            'x-ratelimit-reset-requests': `${seconds}s`,
            'x-ratelimit-limit-tokens': '40000',
            'x-ratelimit-remaining-tokens': '39000',
            'x-ratelimit-reset-tokens': '1.5s',
          },
        );
      }
      case 'error': {
        const type = behaviour.status >= 500 ? 'server_error' : 'invalid_request_error';
        const message = behaviour.message ?? (behaviour.status >= 500 ? 'The server had an error while processing your request. Sorry about that!' : `Request failed with status ${behaviour.status}.`);
        return sendJson(res, behaviour.status, errorBody(message, type, behaviour.code ?? null));
      }
      case 'hang':
        return; // close() or the client's abort ends it.
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, at: number, raw: string) => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const reject = (status: number, value: object) => {
      rejected.push({ at, method, path, headers: req.headers, status, body: raw });
      sendJson(res, status, value);
    };
    if (method !== 'POST' || path !== '/v1/chat/completions') return reject(404, errorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error', null));
    const authorization = req.headers.authorization;
    if (authorization !== `Bearer ${apiKey}`) {
      const given = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
      const masked = given.length > 8 ? `${given.slice(0, 3)}${'*'.repeat(given.length - 7)}${given.slice(-4)}` : '*'.repeat(given.length);
      const message = given ? `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.` : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
      return reject(401, errorBody(message, 'invalid_request_error', 'invalid_api_key'));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const checked = validate(parsed);
    if ('error' in checked) return reject(400, checked.error);

    const request: RecordedRequest = { at, path, headers: req.headers, body: checked.body };
    requests.push(request);
    for (const waiter of waiters) {
      if (requests.length >= waiter.n) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
    let behaviour: Behaviour;
    try {
      behaviour = queue.shift() ?? decide(request);
    } catch (error) {
      return sendJson(res, 500, errorBody(`openai test server responder failed: ${String(error)}`, 'server_error', null));
    }
    await respond(res, request, behaviour);
  };

  const server = http.createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, at, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!gone(res) && !res.headersSent) sendJson(res, 500, errorBody(`openai test server failed: ${String(error)}`, 'server_error', null));
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    rejected,
    enqueue(...behaviours) {
      queue.push(...behaviours);
    },
    setResponder(fn) {
      decide = fn;
    },
    waitForRequests(n) {
      if (requests.length >= n) return Promise.resolve();
      if (closed) return Promise.reject(new Error(`openai test server closed after ${requests.length} of ${n} requests`));
      return new Promise<void>((resolve, reject) => waiters.add({ n, resolve, reject }));
    },
    async close() {
      closed = true;
      for (const entry of sleeping) {
        clearTimeout(entry.timer);
        entry.wake();
      }
      sleeping.clear();
      for (const waiter of waiters) waiter.reject(new Error(`openai test server closed after ${requests.length} of ${waiter.n} requests`));
      waiters.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // hanging requests, open streams and idle keep-alive sockets
      await stopped;
    },
  };
}
