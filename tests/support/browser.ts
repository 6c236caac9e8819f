import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium calls itself "HeadlessChrome", which mediasoup-client's device detection does
 * not recognise; pages see the user agent a desktop Chromium of the same version sends.
 */
function desktopUserAgent(): string {
  const version = /\d+\.\d+\.\d+\.\d+/.exec(execFileSync(executablePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[0] ?? '156.0.0.0';
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`;
}

export interface ChromiumOptions {
  /** A WAV file the fake microphone plays (looped). */
  fakeAudioFile?: string;
  /** `denied` answers every camera/microphone prompt with "Block". Default `granted`. */
  mediaPermission?: 'granted' | 'denied';
  /** false: no fake camera or microphone, so (on these machines) no devices at all. Default true. */
  fakeDevices?: boolean;
}

/**
 * Debian's Chromium, headless, with a fake camera (640x480 test pattern) and, when given, a WAV
 * file played as the microphone. Flags per ENVIRONMENT.md: background networking off because this
 * machine has no internet.
 */
export function launchChromium({ fakeAudioFile, mediaPermission = 'granted', fakeDevices = true }: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-agent=${desktopUserAgent()}`,
      mediaPermission === 'granted' ? '--use-fake-ui-for-media-stream' : '--deny-permission-prompts',
      ...(fakeDevices ? ['--use-fake-device-for-media-stream'] : []),
      ...(fakeAudioFile ? [`--use-file-for-fake-audio-capture=${fakeAudioFile}`] : []),
    ],
  });
}

/** `text` in flite's slt voice as a 48 kHz mono WAV in `dir`, for `fakeAudioFile`. */
export async function speechFile(dir: string, text: string): Promise<string> {
  const run = promisify(execFile);
  const voice = path.join(dir, 'voice.wav');
  const speech = path.join(dir, 'speech.wav');
  await run('flite', ['-voice', 'slt', '-t', text, '-o', voice]);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', voice, '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', speech]);
  return speech;
}
