import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing running; integration tests need the test bed
// (scripts/testbed up), whose environment scripts/test exports before running them.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Suites share one host (libvirtd, OVS, apiserver); files run one at a time,
          // tests inside a file may still run concurrently where they say so.
          fileParallelism: false,
        },
      },
    ],
  },
});
