import { loadConfig, type Config } from '@rehearse/core/config';

let loaded: Config | undefined;

/**
 * The validated configuration. Loaded on first use rather than at import: `vite build` imports
 * server modules to analyse the routes, and building must not need the runtime settings (the
 * production check for MEDIA_TOKEN_SECRET would fail it). The `init` hook calls this at boot, so a
 * bad setting still stops the server before its first request.
 */
export function serverConfig(): Config {
  loaded ??= loadConfig();
  return loaded;
}
