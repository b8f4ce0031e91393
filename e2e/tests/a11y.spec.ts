// Accessibility, measured with axe-core (Deque's engine) on every screen and
// dialog of the terminal: any serious or critical violation fails the test,
// and the message lists each one with the elements it was found on.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './backoffice';
import { everyScreen } from './tour';

/**
 * The WCAG 2.x A and AA rules, Deque's best practices, and the rules axe still
 * calls experimental (off unless asked for): `label-content-name-mismatch`,
 * which voice control depends on, is one of them.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'];

/** The serious and critical violations axe finds on the page as it is now, named by `where`. */
async function audit(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
}

for (const [size, viewport] of [
  ['landscape', { width: 1280, height: 800 }],
  ['portrait', { width: 800, height: 1280 }],
] as const) {
  test.describe(size, () => {
    test.use({ viewport });

    test(`every screen and dialog has no serious or critical axe violation (${size})`, async ({ page, backOffice }) => {
      test.setTimeout(120_000);
      const found: string[] = [];
      const check = async (where: string) => {
        found.push(...(await audit(page, where)));
      };

      await everyScreen(page, backOffice, check);
      expect(found, found.join('\n')).toEqual([]);
    });
  });
}
