import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let nextTemp = 0;

/**
 * Replaces a file so that a crash leaves either the old or the new content,
 * never half of one: write a temp file beside it, fsync, rename over, fsync the
 * folder so the rename itself is durable.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${nextTemp++}`;
  try {
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(data, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}

async function syncFolder(folder: string): Promise<void> {
  // Not every platform can open a folder to fsync it (Windows cannot); the rename stands.
  const handle = await open(folder, 'r').catch(() => null);
  if (handle === null) return;
  try {
    await handle.sync();
  } catch {
    // As above: a folder that refuses fsync still has the renamed file.
  } finally {
    await handle.close();
  }
}
