import { loadConfig, type Config } from '@rehearse/core/config';

// Validated once when the web server boots, like every other process.
export const config: Config = loadConfig();
