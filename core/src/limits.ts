// Limits that more than one process enforces, defined once.

/**
 * The largest request body the product accepts (an avatar image). The web server refuses bigger
 * ones itself with 413; below it, each API route applies its own, smaller limit.
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
