// The only module that reads the environment. Every process (launcher, API, media, web server)
// calls loadConfig() once at boot; a bad value stops the process with one line naming the variable.
// .env.example documents each variable below with its default.
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { ConfigError } from './errors.ts';

type Env = Record<string, string | undefined>;

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Interface the HTTP servers bind to. */
  host: string;
  /** The address people open; the web server's origin. */
  publicUrl: string;
  ports: { web: number; api: number; media: number };
  /**
   * Reverse proxies (addresses or CIDR ranges) in front of the web server whose X-Forwarded-For is
   * believed. Empty: the visitor's address is the connection's own. The API also believes the web
   * server on loopback, which sets (never appends) the one address it determined.
   */
  trustedProxies: string[];
  /** Where the web and media servers reach the API and media server (differs in Kubernetes). */
  apiInternalUrl: string;
  mediaInternalUrl: string;
  /**
   * Where this process serves Prometheus metrics (GET /metrics), on a listener of its own so the
   * public ports never show them. Port 0: no metrics listener.
   */
  metrics: { host: string; port: number };
  /** Whether this API process works the job queue (false: it only schedules jobs for the workers). */
  jobWorker: boolean;
  dataDir: string;
  database: { url: string | null; embeddedPort: number };
  storage: {
    endpoint: string | null;
    region: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
  };
  media: {
    /** Where browsers open the signaling WebSocket (named inside join tokens). */
    publicUrl: string;
    /** Signs join tokens (API) and checks them (media servers); shared by both. */
    tokenSecret: string | null;
    /** STUN/TURN servers handed to browsers, as RTCIceServer objects. */
    iceServers: IceServer[];
    /**
     * A TURN server (coturn) with the TURN REST API's shared secret: the API mints each join a
     * credential valid `ttlSeconds` (username "expiry:user", password HMAC-SHA1 of it). No secret: none.
     */
    turn: { urls: string[]; secret: string | null; ttlSeconds: number };
    /** "relay": browsers send only through TURN (hides their address; proves the TURN path). */
    iceTransportPolicy: 'all' | 'relay';
    /** Local folder where recordings are spooled while they stream to S3 (crash recovery). */
    spoolDir: string;
    /** How long a candidate who vanished mid-answer has to reconnect before the answer is finalized. */
    reconnectGraceMs: number;
    workerBin: string | null;
    numWorkers: number;
    /** One address for WebRTC to listen on; null: every IPv4 address of the machine. */
    listenIp: string | null;
    announcedAddress: string | null;
    rtcMinPort: number;
    rtcMaxPort: number;
    /** This node's name in `media_nodes` (stable across its restarts). */
    nodeId: string;
    /** Answers this node takes at once; the API places no more on it. */
    capacity: number;
    /** On SIGTERM, how long the node keeps its answers running (taking nothing new) before finalizing them. */
    drainSeconds: number;
    /** Origins pages may open signaling sockets to (every media node's); the Content-Security-Policy lists them. */
    origins: string[];
  };
  ffmpegPath: string | null;
  speech: { deepgramApiKey: string | null };
  /** OpenAI for AI feedback, generated questions and follow-ups; no key: the offline coach. */
  ai: {
    openaiApiKey: string | null;
    /** Where the OpenAI API is: OpenAI's own unless set (a local server in tests, or a compatible gateway). */
    openaiBaseUrl: string | null;
    /** A model that supports structured outputs (JSON schema). */
    model: string;
    /** Per request, including the whole streamed answer (ms). */
    timeoutMs: number;
    /** Retries of a failed or rate-limited request (the SDK honours retry-after). */
    maxRetries: number;
  };
  billing: {
    stripeSecretKey: string | null;
    stripeWebhookSecret: string | null;
    /** The signing secret of the Connect endpoint (events from mentors' connected accounts). */
    stripeConnectWebhookSecret: string | null;
    /** Where the Stripe API is: Stripe's own unless set (a local server in tests). */
    stripeApiUrl: string | null;
    /** Stripe price ids of the paid plans. */
    prices: { pro: string | null; recruiter: string | null };
  };
  mentoring: {
    /** The platform's share of each mentor call's price, in percent. */
    feePercent: number;
    /** Grant the mentor role on applying (development), instead of waiting for an admin. */
    autoApprove: boolean;
  };
  /** Outgoing mail: SMTP when `smtpUrl` is set, else the dev outbox (kept in the database, shown at /dev/outbox). */
  mail: { smtpUrl: string | null; from: string };
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function str(env: Env, name: string, fallback: string): string {
  return read(env, name) ?? fallback;
}

function optional(env: Env, name: string): string | null {
  return read(env, name) ?? null;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function port(env: Env, name: string, fallback: number): number {
  return int(env, name, fallback, 1, 65535);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function url(env: Env, name: string, protocols: readonly string[], fallback: string | null): string | null {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')}), got "${redact(raw)}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
  }
  return raw;
}

/** Hides a password in a URL so an error message never prints a secret. */
export function redact(raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

function iceServers(env: Env, name: string): IceServer[] {
  const raw = read(env, name);
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'must be a JSON array of {"urls", "username", "credential"} objects');
  }
  const valid = Array.isArray(parsed) && parsed.every((s) => typeof s === 'object' && s !== null && (typeof s.urls === 'string' || (Array.isArray(s.urls) && s.urls.every((u: unknown) => typeof u === 'string'))));
  if (!valid) throw new ConfigError(name, 'must be a JSON array of {"urls", "username", "credential"} objects');
  return parsed as IceServer[];
}

function turnSettings(env: Env): Config['media']['turn'] {
  const secret = optional(env, 'TURN_SECRET');
  const urls = (read(env, 'TURN_URLS') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of urls) if (!/^turns?:[^\s]+$/.test(u)) throw new ConfigError('TURN_URLS', `must be a comma-separated list of turn: or turns: URLs (got "${redact(u)}")`);
  if (secret !== null && secret.length < 16) throw new ConfigError('TURN_SECRET', 'must be at least 16 characters');
  if ((secret === null) !== (urls.length === 0)) throw new ConfigError(secret === null ? 'TURN_SECRET' : 'TURN_URLS', 'TURN_URLS and TURN_SECRET go together');
  return { urls, secret, ttlSeconds: int(env, 'TURN_TTL_SECONDS', 3600, 60, 86_400) };
}

function ip(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(value) && !value.includes(':')) {
    throw new ConfigError(name, `must be an IPv4 or IPv6 address (got "${value}")`);
  }
  return value;
}

export function loadConfig(env: Env = process.env): Config {
  const host = str(env, 'HOST', '127.0.0.1');
  const ports = { web: port(env, 'WEB_PORT', 3000), api: port(env, 'API_PORT', 3001), media: port(env, 'MEDIA_PORT', 3002) };
  const rtcMinPort = port(env, 'MEDIASOUP_RTC_MIN_PORT', 40000);
  const rtcMaxPort = port(env, 'MEDIASOUP_RTC_MAX_PORT', 49999);
  if (rtcMaxPort < rtcMinPort) throw new ConfigError('MEDIASOUP_RTC_MAX_PORT', `must not be below MEDIASOUP_RTC_MIN_PORT (${rtcMinPort})`);
  const loopback = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:'], `http://localhost:${ports.web}`)!;
  const env_ = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'], 'development');
  const dataDir = path.resolve(str(env, 'DATA_DIR', '.data'));
  const tokenSecret = optional(env, 'MEDIA_TOKEN_SECRET');
  if (tokenSecret !== null && tokenSecret.length < 32) throw new ConfigError('MEDIA_TOKEN_SECRET', 'must be at least 32 characters');
  const publicHost = new URL(publicUrl);
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:'], null);
  if (env_ === 'production') {
    // The dev outbox keeps every mail (reset links included) where the product can show it: fine
    // on a developer's machine, an account-takeover risk anywhere else.
    if (!smtpUrl) throw new ConfigError('SMTP_URL', 'must be set when NODE_ENV=production (the dev outbox is for development only)');
    // Session cookies are Secure in production; over plain http a browser would drop them.
    if (publicHost.protocol !== 'https:') throw new ConfigError('PUBLIC_URL', `must be https when NODE_ENV=production (got "${publicUrl}")`);
  }

  const mediaPublicUrl = url(env, 'MEDIA_PUBLIC_URL', ['ws:', 'wss:'], `${publicHost.protocol === 'https:' ? 'wss' : 'ws'}://${publicHost.hostname}:${ports.media}/signaling`)!;
  return {
    env: env_,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    host,
    publicUrl,
    ports,
    trustedProxies: addressList(env, 'TRUSTED_PROXIES'),
    apiInternalUrl: url(env, 'API_INTERNAL_URL', ['http:', 'https:'], `http://${loopback}:${ports.api}`)!,
    mediaInternalUrl: url(env, 'MEDIA_INTERNAL_URL', ['http:', 'https:'], `http://${loopback}:${ports.media}`)!,
    metrics: { host: read(env, 'METRICS_HOST') === undefined ? host : ip(env, 'METRICS_HOST', host), port: int(env, 'METRICS_PORT', env_ === 'test' ? 0 : 9464, 0, 65_535) },
    jobWorker: bool(env, 'JOB_WORKER', true),
    // Relative to the working directory: npm start runs from the repository root.
    dataDir,
    database: {
      url: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], null),
      embeddedPort: port(env, 'EMBEDDED_POSTGRES_PORT', 54329),
    },
    storage: {
      // unix:///path/to.sock: an S3 server on a local socket (how npm start reaches the embedded one).
      endpoint: url(env, 'S3_ENDPOINT', ['http:', 'https:', 'unix:'], null),
      region: str(env, 'S3_REGION', 'us-east-1'),
      bucket: bucketName(str(env, 'S3_BUCKET', 'rehearse')),
      accessKeyId: str(env, 'S3_ACCESS_KEY_ID', 'S3RVER'),
      secretAccessKey: str(env, 'S3_SECRET_ACCESS_KEY', 'S3RVER'),
      forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', true),
    },
    media: {
      publicUrl: mediaPublicUrl,
      tokenSecret,
      iceServers: iceServers(env, 'ICE_SERVERS'),
      turn: turnSettings(env),
      iceTransportPolicy: oneOf(env, 'ICE_TRANSPORT_POLICY', ['all', 'relay'], 'all'),
      spoolDir: path.resolve(str(env, 'RECORDING_SPOOL_DIR', path.join(dataDir, 'spool'))),
      reconnectGraceMs: int(env, 'ANSWER_RECONNECT_GRACE_MS', 20_000, 0, 600_000),
      workerBin: optional(env, 'MEDIASOUP_WORKER_BIN'),
      numWorkers: int(env, 'MEDIASOUP_NUM_WORKERS', availableParallelism(), 1, 256),
      listenIp: read(env, 'MEDIASOUP_LISTEN_IP') === undefined ? null : ip(env, 'MEDIASOUP_LISTEN_IP', ''),
      announcedAddress: optional(env, 'MEDIASOUP_ANNOUNCED_ADDRESS'),
      rtcMinPort,
      rtcMaxPort,
      nodeId: str(env, 'MEDIA_NODE_ID', `${hostname()}:${ports.media}`),
      capacity: int(env, 'MEDIA_CAPACITY', 150, 1, 100_000),
      drainSeconds: int(env, 'MEDIA_DRAIN_SECONDS', env_ === 'production' ? 600 : 0, 0, 86_400),
      origins: originList(env, 'MEDIA_ORIGINS', mediaPublicUrl),
    },
    ffmpegPath: optional(env, 'FFMPEG_PATH'),
    speech: { deepgramApiKey: optional(env, 'DEEPGRAM_API_KEY') },
    ai: {
      openaiApiKey: optional(env, 'OPENAI_API_KEY'),
      openaiBaseUrl: url(env, 'OPENAI_BASE_URL', ['http:', 'https:'], null),
      model: str(env, 'OPENAI_MODEL', 'gpt-4o-mini'),
      timeoutMs: int(env, 'OPENAI_TIMEOUT_MS', 60_000, 1_000, 600_000),
      maxRetries: int(env, 'OPENAI_MAX_RETRIES', 2, 0, 10),
    },
    billing: {
      stripeSecretKey: optional(env, 'STRIPE_SECRET_KEY'),
      stripeWebhookSecret: optional(env, 'STRIPE_WEBHOOK_SECRET'),
      stripeConnectWebhookSecret: optional(env, 'STRIPE_CONNECT_WEBHOOK_SECRET'),
      stripeApiUrl: url(env, 'STRIPE_API_URL', ['http:', 'https:'], null),
      prices: { pro: optional(env, 'STRIPE_PRICE_PRO'), recruiter: optional(env, 'STRIPE_PRICE_RECRUITER') },
    },
    mentoring: { feePercent: int(env, 'MENTOR_FEE_PERCENT', 15, 0, 50), autoApprove: bool(env, 'MENTOR_AUTO_APPROVE', env_ === 'development') },
    mail: { smtpUrl, from: str(env, 'MAIL_FROM', 'Rehearse <no-reply@rehearse.local>') },
  };
}

/** Comma-separated IPv4/IPv6 addresses, each optionally with a /prefix length. */
function addressList(env: Env, name: string): string[] {
  const raw = read(env, name);
  if (raw === undefined) return [];
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const v4 = /^(\d{1,3})(\.\d{1,3}){3}$/.test(address) && address.split('.').every((octet) => Number(octet) <= 255);
    const v6 = !v4 && /^[0-9a-f:.]+$/i.test(address) && address.includes(':');
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128));
    if ((!v4 && !v6) || !prefixOk || extra !== undefined) throw new ConfigError(name, `must be a comma-separated list of IP addresses or CIDR ranges (got "${entry}")`);
  }
  return entries;
}

/** Comma-separated ws:/wss: origins (a media node each, or a wildcard host like wss://*.media.example.com); default: the one node's. */
function originList(env: Env, name: string, mediaPublicUrl: string): string[] {
  const raw = read(env, name);
  const entries = raw === undefined ? [mediaPublicUrl] : raw.split(',').map((e) => e.trim()).filter(Boolean);
  return entries.map((entry) => {
    const match = /^(wss?):\/\/([a-z0-9*.-]+|\[[0-9a-f:]+\])(:\d{1,5})?(\/.*)?$/i.exec(entry);
    if (!match) throw new ConfigError(name, `must be a comma-separated list of ws:// or wss:// origins (got "${redact(entry)}")`);
    return `${match[1]!.toLowerCase()}://${match[2]!.toLowerCase()}${match[3] ?? ''}`;
  });
}

function bucketName(value: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) {
    throw new ConfigError('S3_BUCKET', `must be a valid S3 bucket name (got "${value}")`);
  }
  return value;
}

/**
 * Loads the configuration or ends the process with a one-line message: a misconfigured server
 * should say what is wrong, not print a stack trace.
 */
export function loadConfigOrExit(component: string, env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[${component}] configuration error: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
