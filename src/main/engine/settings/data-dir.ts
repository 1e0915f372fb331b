import { homedir } from 'node:os';
import { join } from 'node:path';

/** Browser mode's data directory: $XDG_CONFIG_HOME/sockscope, else ~/.config/sockscope. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is to be ignored.
  return xdg !== undefined && xdg.startsWith('/')
    ? join(xdg, 'sockscope')
    : join(home, '.config', 'sockscope');
}
