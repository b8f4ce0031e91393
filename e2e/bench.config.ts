import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The benchmarks (`bash scripts/bench.sh`): not part of the test command. One
// long serial run against a large generated tenant; the service worker is
// allowed, because the start from cache is one of the figures.
export default defineConfig({
  ...base,
  testDir: './bench',
  timeout: 90 * 60_000,
  expect: { timeout: 120_000 },
  reporter: [['list']],
  use: { ...base.use, serviceWorkers: 'allow', actionTimeout: 120_000 },
});
