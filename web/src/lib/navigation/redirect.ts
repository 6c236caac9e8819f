// Where sign-in and sign-up send the visitor afterwards: back to the page that sent them there
// (`?redirect=`: a shared link, an interview invitation), if it is a path on this site — never
// another origin (`//evil.example`, `/\evil.example`, `https://…`).
export function safeRedirect(url: { searchParams: { get(name: string): string | null } }, fallback: string): string {
  const to = url.searchParams.get('redirect') ?? '';
  return /^\/(?![/\\])[^\s]*$/.test(to) ? to : fallback;
}
