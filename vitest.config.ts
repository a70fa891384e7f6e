import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // services/ does not exist in a fresh clone: it is where `teletel new-service NAME` puts
    // your own services (services/NAME/index.test.ts), whose tests npm test then runs too.
    include: ['src/**/*.test.ts', 'services/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
