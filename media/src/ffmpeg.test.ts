import { describe, expect, it } from 'vitest';
import { ffmpegVersion, resolveFfmpegPath } from './ffmpeg.ts';

describe('ffmpeg', () => {
  it('finds a working ffmpeg: ffmpeg-static where it downloaded, else the system one', async () => {
    expect(await ffmpegVersion(resolveFfmpegPath(null))).toMatch(/^ffmpeg version /);
  });

  it('prefers FFMPEG_PATH and names it when it does not run', async () => {
    expect(resolveFfmpegPath('/opt/ffmpeg')).toBe('/opt/ffmpeg');
    await expect(ffmpegVersion('/nonexistent/ffmpeg')).rejects.toThrow('ffmpeg (/nonexistent/ffmpeg) does not run');
  });
});
