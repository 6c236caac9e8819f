import { existsSync } from 'node:fs';
import ffmpegStatic from 'ffmpeg-static';

/**
 * The ffmpeg to run: FFMPEG_PATH if configured, else ffmpeg-static's binary when its install could
 * download it, else the system's ffmpeg (Debian's, installed by scripts/setup).
 */
export function resolveFfmpegPath(configured: string | null): string {
  if (configured) return configured;
  const bundled = ffmpegStatic as unknown as string | null;
  if (bundled && existsSync(bundled)) return bundled;
  return 'ffmpeg';
}
