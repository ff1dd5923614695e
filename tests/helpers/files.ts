// Every file under a folder, for tests that search a data dir for what must not be there.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** Every folder under `dir` (itself included) and its mode, and every file and its mode, as `path mode` lines. */
export async function modesUnder(dir: string): Promise<string[]> {
  const out: string[] = [`. ${((await stat(dir)).mode & 0o777).toString(8)}`];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(`${p.slice(dir.length + 1)} ${((await stat(p)).mode & 0o777).toString(8)}`);
      if (e.isDirectory()) await walk(p);
    }
  };
  await walk(dir);
  return out;
}

/** The entries of `modesUnder` that are not private: folders not 0700, files not 0600. */
export async function notPrivate(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const line of await modesUnder(dir)) {
    const [path = '', mode] = line.split(' ');
    const isDir = (await stat(join(dir, path))).isDirectory();
    if (mode !== (isDir ? '700' : '600')) out.push(line);
  }
  return out;
}
