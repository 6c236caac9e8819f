import puppeteer, { type Browser } from 'puppeteer-core';

const executablePath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Debian's Firefox ESR, headless, driven over WebDriver BiDi (no downloaded browser build), with
 * Firefox's fake camera and microphone (a test pattern and a tone) and no permission prompt.
 */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      // No network but loopback here: nothing may phone home.
      'network.connectivity-service.enabled': false,
      'app.update.enabled': false,
    },
  });
}
