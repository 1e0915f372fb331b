/**
 * The renderer's Content-Security-Policy: only the app's own scripts, styles and
 * connections; no eval, no inline script, no remote origin of any kind. `'self'` is
 * app://sockscope in the window (never file://) and the loopback host in browser mode.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
