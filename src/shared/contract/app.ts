import { z } from 'zod';

export const AppInfo = z.object({
  name: z.literal('sockscope'),
  version: z.string(),
  transport: z.enum(['electron', 'web']),
  platform: z.string(),
  /** The runtime can set TCP keep-alive's probe interval and count, not only its idle time. */
  keepAliveProbes: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appCommands = {
  'app.info': { args: z.object({}), result: AppInfo },
} as const;
