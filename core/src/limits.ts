// Limits that more than one process enforces, defined once.

/**
 * The largest request body the product accepts (an avatar image). The web server refuses bigger
 * ones itself with 413; below it, each API route applies its own, smaller limit.
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Media nodes (media/src/node/MediaNode.ts) say they are alive this often; one silent this long
 * is out: the API places nothing on it, and another node takes over its answers.
 */
export const MEDIA_NODE_HEARTBEAT_MS = 2_000;
export const MEDIA_NODE_STALE_MS = 10_000;
