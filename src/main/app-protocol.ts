import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { contentSecurityPolicy } from './content-security-policy';
import { findStaticFile } from './static-files';

/**
 * The renderer is served from `app://sockscope/`, never `file://`: a standard, secure
 * scheme gives the page a real origin (so `'self'` in the CSP means only the app), and
 * the handler serves the built renderer's files and nothing else on disk.
 */
export const appScheme = 'app';
export const appHost = 'sockscope';
export const appOrigin = `${appScheme}://${appHost}`;
export const appPageUrl = `${appOrigin}/index.html`;

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: appScheme,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

function plain(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** Answers one `app://` request from the built renderer in `rendererRoot`. */
export async function serveAppRequest(
  request: Pick<Request, 'method' | 'url'>,
  rendererRoot: string,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return plain(405, 'Method not allowed');
  // The raw path, before any URL parser folds its dot segments.
  const match = /^app:\/\/([^/?#]*)(\/[^?#]*)?/i.exec(request.url);
  if (match === null || match[1]!.toLowerCase() !== appHost) return plain(404, 'Not found');
  const file = await findStaticFile(rendererRoot, match[2] ?? '/');
  if (!file.ok) return plain(file.status, file.message);
  const body = request.method === 'HEAD' ? null : await readFile(file.path);
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}

/** Serves `app://` from the built renderer; call once the app is ready. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererRoot: string): void {
  protocol.handle(appScheme, (request) => serveAppRequest(request, rendererRoot));
}

/**
 * The dev server's URL, only in development: not packaged, started with the explicit
 * `--sockscope-dev` flag (`npm run dev` passes it), and on loopback. Never otherwise,
 * so an environment variable cannot choose the page that gets the trusted bridge.
 */
export function devServerUrl(options: {
  isPackaged: boolean;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}): string | null {
  const raw = options.env.ELECTRON_RENDERER_URL;
  if (options.isPackaged || !options.argv.includes('--sockscope-dev') || raw === undefined)
    return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return (url.protocol === 'http:' || url.protocol === 'https:') && loopback ? url.href : null;
}
