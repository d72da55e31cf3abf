import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that open sockets and databases run in forks so one file's handles cannot leak into another's.
    pool: 'forks',
  },
});
