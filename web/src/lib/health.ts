// The API's GET /health, as the operator page shows it (shapes from @rehearse/protocol).
import type { Check, Health as HealthSchema } from '@rehearse/protocol';

export type HealthCheck = Check;
export type Health = HealthSchema;

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
