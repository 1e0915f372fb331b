import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { findStaticFile } from '../../src/main/static-files';

let base = '';
let root = '';
beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'sockscope-static-')));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), 'page');
  writeFileSync(join(root, 'assets/app.js'), 'app');
  // Names a traversal would reach if it got out.
  writeFileSync(join(base, 'secret.js'), 'secret');
  writeFileSync(join(base, 'secret.html'), 'secret');
});

/** Path pieces an attacker would combine: dots, slashes, encodings, names that exist. */
const piece = fc.oneof(
  { arbitrary: fc.constantFrom('..', '%2e%2e', '%2E%2e', '.%2e', '..%2f..', '..%5c..'), weight: 4 },
  {
    arbitrary: fc.constantFrom('secret.js', 'secret.html', 'index.html', 'assets', 'app.js'),
    weight: 3,
  },
  { arbitrary: fc.constantFrom('.', '', '%2f', '%5c', '\\', '%00', 'C:', 'renderer'), weight: 2 },
  { arbitrary: fc.constantFrom('%', '%zz', '%e0%a4', '%252e%252e', '%c0%ae%c0%ae'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
);
// Pieces joined by a slash or run together, so encoded and plain separators mix.
const encodedPath = fc
  .array(fc.tuple(piece, fc.constantFrom('/', '')), { maxLength: 8 })
  .map((pairs) => `/${pairs.map(([text, separator]) => text + separator).join('')}`);

describe('static file lookup', () => {
  it('never leaves the root, never throws, whatever the path', async () => {
    await fc.assert(
      fc.asyncProperty(encodedPath, async (path) => {
        const found = await findStaticFile(root, path);
        if (found.ok) {
          expect(found.path.startsWith(root + sep), path).toBe(true);
          expect(found.path, path).not.toContain('secret');
        } else {
          expect([400, 403, 404], path).toContain(found.status);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the built files by their plain or encoded names', async () => {
    expect(await findStaticFile(root, '/')).toMatchObject({ ok: true, size: 4 });
    expect(await findStaticFile(root, '/assets/app.js')).toMatchObject({
      ok: true,
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(await findStaticFile(root, '/assets/%61pp.js')).toMatchObject({ ok: true });
    expect(await findStaticFile(root, '//assets///app.js')).toMatchObject({ ok: true });
  });
});
