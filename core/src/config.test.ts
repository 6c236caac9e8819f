import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import { loadConfig, redact } from './config.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.ports).toEqual({ web: 3000, api: 3001, media: 3002 });
    expect(config.database.url).toBeNull();
    expect(config.storage.endpoint).toBeNull();
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.apiInternalUrl).toBe('http://127.0.0.1:3001');
    expect(config.speech.deepgramApiKey).toBeNull();
    expect(config.billing.stripeSecretKey).toBeNull();
  });

  it('names the media node, its capacity and drain, and the origins pages may reach', () => {
    const config = loadConfig({ MEDIA_PORT: '4002' });
    expect(config.media.nodeId).toMatch(/:4002$/);
    expect(config.media).toMatchObject({ capacity: 150, drainSeconds: 0, origins: ['ws://localhost:4002'] });
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://r.example.com', MEDIA_TOKEN_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://mail.example.com' }).media.drainSeconds).toBe(600);
    expect(loadConfig({ MEDIA_ORIGINS: 'wss://*.media.example.com, WSS://Node-2.example.com:8443/signaling' }).media.origins).toEqual(['wss://*.media.example.com', 'wss://node-2.example.com:8443']);
    for (const bad of ['https://media.example.com', 'wss://', "wss://a.example.com 'unsafe-inline'", 'javascript:alert(1)']) expect(() => loadConfig({ MEDIA_ORIGINS: bad })).toThrow(/MEDIA_ORIGINS/);
    expect(() => loadConfig({ MEDIA_CAPACITY: '0' })).toThrow(/MEDIA_CAPACITY/);
  });

  it('serves metrics on a port of their own (off in tests), and works the job queue unless told not to', () => {
    expect(loadConfig({}).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ NODE_ENV: 'test' }).metrics.port).toBe(0);
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_PORT: '9100' }).metrics).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_HOST: '10.0.0.5' }).metrics.host).toBe('10.0.0.5');
    for (const bad of ['-1', '65536', '9464abc']) expect(() => loadConfig({ METRICS_PORT: bad })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_HOST: 'metrics.example.com' })).toThrow(/METRICS_HOST/);
    expect(loadConfig({}).jobWorker).toBe(true);
    expect(loadConfig({ JOB_WORKER: 'false' }).jobWorker).toBe(false);
    expect(() => loadConfig({ JOB_WORKER: 'sometimes' })).toThrow(/JOB_WORKER/);
  });

  it('takes a TURN server with its shared secret, both or neither', () => {
    expect(loadConfig({}).media.turn).toEqual({ urls: [], secret: null, ttlSeconds: 3600 });
    const turn = loadConfig({ TURN_URLS: 'turn:t.example.com:3478?transport=udp, turns:t.example.com:443?transport=tcp', TURN_SECRET: 's'.repeat(16), ICE_TRANSPORT_POLICY: 'relay' });
    expect(turn.media.turn.urls).toEqual(['turn:t.example.com:3478?transport=udp', 'turns:t.example.com:443?transport=tcp']);
    expect(turn.media.iceTransportPolicy).toBe('relay');
    expect(() => loadConfig({ TURN_URLS: 'turn:t.example.com' })).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ TURN_SECRET: 's'.repeat(16) })).toThrow(/TURN_URLS/);
    expect(() => loadConfig({ TURN_URLS: 'http://t.example.com', TURN_SECRET: 's'.repeat(16) })).toThrow(/TURN_URLS/);
    expect(() => loadConfig({ TURN_URLS: 'turn:t.example.com', TURN_SECRET: 'short' })).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ ICE_TRANSPORT_POLICY: 'none' })).toThrow(/ICE_TRANSPORT_POLICY/);
  });

  it('derives the media signaling URL from the public URL', () => {
    expect(loadConfig({}).media.publicUrl).toBe('ws://localhost:3002/signaling');
    expect(loadConfig({ PUBLIC_URL: 'https://rehearse.example.com', MEDIA_PORT: '8443' }).media.publicUrl).toBe('wss://rehearse.example.com:8443/signaling');
    expect(loadConfig({ ICE_SERVERS: '[{"urls":"turn:turn.example.com","username":"u","credential":"c"}]' }).media.iceServers).toHaveLength(1);
  });

  it('derives internal URLs from the ports and treats empty strings as unset', () => {
    const config = loadConfig({ API_PORT: '4001', MEDIA_PORT: '4002', DATABASE_URL: '', OPENAI_API_KEY: ' ' });
    expect(config.apiInternalUrl).toBe('http://127.0.0.1:4001');
    expect(config.mediaInternalUrl).toBe('http://127.0.0.1:4002');
    expect(config.database.url).toBeNull();
    expect(config.ai.openaiApiKey).toBeNull();
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL must use postgres: or postgresql:'],
    [{ API_PORT: '70000' }, 'API_PORT must be a whole number from 1 to 65535 (got "70000")'],
    [{ WEB_PORT: 'abc' }, 'WEB_PORT must be a whole number'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be one of development, test, production'],
    [{ S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET must be a valid S3 bucket name'],
    [{ S3_FORCE_PATH_STYLE: 'maybe' }, 'S3_FORCE_PATH_STYLE must be true or false'],
    [{ MEDIASOUP_LISTEN_IP: 'localhost' }, 'MEDIASOUP_LISTEN_IP must be an IPv4 or IPv6 address'],
    [{ MEDIASOUP_RTC_MIN_PORT: '5000', MEDIASOUP_RTC_MAX_PORT: '4000' }, 'MEDIASOUP_RTC_MAX_PORT must not be below'],
    [{ MEDIA_PUBLIC_URL: 'http://media.example.com' }, 'MEDIA_PUBLIC_URL must use ws: or wss:'],
    [{ MEDIA_TOKEN_SECRET: 'short' }, 'MEDIA_TOKEN_SECRET must be at least 32 characters'],
    [{ ICE_SERVERS: '[{"url": "turn:x"}]' }, 'ICE_SERVERS must be a JSON array'],
    [{ TRUSTED_PROXIES: '10.0.0.0/8, proxy.example.com' }, 'TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges (got "proxy.example.com")'],
    [{ TRUSTED_PROXIES: '300.1.1.1' }, 'TRUSTED_PROXIES must be'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES must be'],
    // Production never runs on the dev outbox (anyone could read reset links there) or on plain http.
    [{ NODE_ENV: 'production', PUBLIC_URL: 'https://rehearse.example.com' }, 'SMTP_URL must be set when NODE_ENV=production'],
    [{ NODE_ENV: 'production', SMTP_URL: 'smtps://u:p@mail.example.com', PUBLIC_URL: 'http://rehearse.example.com' }, 'PUBLIC_URL must be https when NODE_ENV=production'],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(message);
  });

  it('accepts production settings with SMTP and https, and a list of trusted proxies', () => {
    const config = loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtps://u:p@mail.example.com:465', PUBLIC_URL: 'https://rehearse.example.com', TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,fd00::/8' });
    expect(config.mail.smtpUrl).toBe('smtps://u:p@mail.example.com:465');
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });

  it('never echoes a password from a bad URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' })).not.toThrowError(/hunter2/);
    expect(redact('postgresql://user:hunter2@db:5432/x')).toBe('postgresql://user:***@db:5432/x');
  });
});
