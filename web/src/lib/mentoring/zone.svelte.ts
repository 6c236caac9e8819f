// Which time zone the mentoring pages show times in. The server renders in the signed-in viewer's
// profile zone (else UTC, named); once a page has mounted, every time follows the browser's own
// zone, which is the one the viewer lives in (and Intl applies its daylight-saving rules).
import { onMount } from 'svelte';
import { page } from '$app/state';

// Only ever set in the browser (onMount does not run on the server), so no request shares it.
const browser = $state({ zone: null as string | null, locale: undefined as string | undefined });

export interface ViewerZone {
  zone: string;
  /** The browser's locale once mounted; on the server a fixed one, so hydration sees the same text. */
  locale: string | undefined;
  source: 'browser' | 'profile' | 'utc';
}

/** Called while a component initialises: from its mount on, times use the browser's zone. */
export function followBrowserZone(): void {
  onMount(() => {
    browser.zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
    browser.locale ??= navigator.language;
  });
}

export function viewerZone(): ViewerZone {
  if (browser.zone) return { zone: browser.zone, locale: browser.locale, source: 'browser' };
  const profile = page.data.viewerTimeZone;
  return profile ? { zone: profile, locale: 'en-US', source: 'profile' } : { zone: 'UTC', locale: 'en-US', source: 'utc' };
}
