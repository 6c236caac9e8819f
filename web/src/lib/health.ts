// Shapes of the API's GET /health (api/src/health/schemas.ts), as the page uses them.
export interface HealthCheck {
  name: 'database' | 'objectStore' | 'mediaWorkers' | 'speechEngine';
  ok: boolean;
  detail: string;
  latencyMs: number;
}

export interface Health {
  status: 'ok' | 'degraded';
  checks: HealthCheck[];
  modes: { speech: 'deepgram' | 'embedded'; ai: 'openai' | 'heuristic'; billing: 'stripe' | 'local-test-mode' };
}

export const checkLabels: Record<HealthCheck['name'], string> = {
  database: 'Database',
  objectStore: 'Object storage',
  mediaWorkers: 'Media server',
  speechEngine: 'Speech-to-text',
};

export const modeLabels = {
  speech: { deepgram: 'Deepgram live transcription', embedded: 'Embedded PocketSphinx (rough local engine, offline)' },
  ai: { openai: 'OpenAI feedback', heuristic: 'Heuristic feedback (offline, no OpenAI key)' },
  billing: { stripe: 'Stripe billing', 'local-test-mode': 'Local billing test mode — no real payments' },
} as const;
