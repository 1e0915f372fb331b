import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const alias = { '@shared': resolve(import.meta.dirname, 'src/shared') };
const timeouts = { testTimeout: 20_000, hookTimeout: 20_000 };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/renderer/**'],
          ...timeouts,
        },
      },
      {
        // The renderer's rune modules (*.svelte.ts), compiled as the app compiles them
        // (client runes, browser exports), run in Node against a real engine in-process.
        plugins: [
          svelte({
            // Vitest transforms for Node (SSR); the app runs client runes, so test those.
            dynamicCompileOptions: () => ({ generate: 'client' }),
          }),
        ],
        resolve: { alias, conditions: ['browser'] },
        test: {
          name: 'renderer',
          environment: 'node',
          include: ['tests/renderer/**/*.test.ts'],
          ...timeouts,
        },
      },
    ],
  },
});
