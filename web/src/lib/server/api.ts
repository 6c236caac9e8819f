import { config } from './config.ts';

/** Calls the API from the web server over the internal network. */
export function apiFetch(path: string, init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, config.apiInternalUrl), { ...init, signal: init?.signal ?? AbortSignal.timeout(10_000) });
}
