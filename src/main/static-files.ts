import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** The built renderer's file types; anything else is not served. */
export const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export type StaticFile =
  | { ok: true; path: string; contentType: string; size: number }
  | { ok: false; status: 400 | 403 | 404; message: string };

function refused(status: 400 | 403 | 404, message: string): StaticFile {
  return { ok: false, status, message };
}

/**
 * Finds the built file a URL path names, inside `root` and nowhere else. The path is
 * taken still percent-encoded and decoded one segment at a time, so an encoded `..`,
 * `/` or `\` cannot climb out; symlinks are resolved and must stay inside too.
 */
export async function findStaticFile(root: string, encodedPath: string): Promise<StaticFile> {
  const segments: string[] = [];
  for (const encoded of encodedPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return refused(400, 'Bad request: the path has a malformed % escape');
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..' || /[/\\\0]/.test(segment) || /^[a-zA-Z]:/.test(segment))
      return refused(403, 'Forbidden: the path leaves the app');
    segments.push(segment);
  }
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const contentType = contentTypes[extname(relative).toLowerCase()];
  if (contentType === undefined) return refused(404, 'Not found');

  const rootReal = await realpath(root).catch(() => null);
  const fileReal = await realpath(join(root, relative)).catch(() => null);
  if (rootReal === null || fileReal === null) return refused(404, 'Not found');
  if (!fileReal.startsWith(rootReal + sep))
    return refused(403, 'Forbidden: the path leaves the app');
  const info = await stat(fileReal).catch(() => null);
  if (info === null || !info.isFile()) return refused(404, 'Not found');
  return { ok: true, path: fileReal, contentType, size: info.size };
}
