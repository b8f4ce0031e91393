// The layout a cashier relies on, on a 1280×800 landscape tablet and an
// 800×1280 portrait one: every visible control at least 44 × 44 px, no text
// spilling out of its box or under another control, six cart lines in view
// in landscape, the total and Pay (with the amount) in view in portrait.
// Each screen and dialog is photographed at both sizes into
// e2e/test-results/screenshots/ for a reviewer.
import type { Page } from '@playwright/test';
import path from 'node:path';
import { test, expect, signIn, cashierIn, tap } from './backoffice';
import { everyScreen } from './tour';

const SHOTS = path.join(__dirname, '..', 'test-results', 'screenshots');

const SIZES = [
  ['landscape', { width: 1280, height: 800 }],
  ['portrait', { width: 800, height: 1280 }],
] as const;

/** Six different articles of the demo catalogue: six cart lines. */
const SIX = ['W100', 'W200', 'W300', 'X10', 'X20', 'S100'];

/**
 * What a cashier trips over on the screen as it is now (in the open dialog
 * when there is one): visible controls smaller than 44 × 44 px, text cut off
 * or spilling out of its box, and controls or labels lying over each other.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const dialogs = [...document.querySelectorAll('dialog[open]')];
    const scope: Element = dialogs.length ? dialogs[dialogs.length - 1] : document.body;
    const name = (el: Element) => {
      const text = (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const id = el.id ? `#${el.id}` : '';
      return `${el.tagName.toLowerCase()}${id} "${text}"`;
    };
    // The part of an element not clipped by a scrolling or clipping ancestor (nor the screen).
    const shown = (el: Element): DOMRect | null => {
      let r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) return null;
      // Not rendered: inside a closed <details>, display: none, visibility: hidden.
      if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) return null;
      let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      for (let up = el.parentElement; up; up = up.parentElement) {
        const s = getComputedStyle(up);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
          const c = up.getBoundingClientRect();
          box = { left: Math.max(box.left, c.left), top: Math.max(box.top, c.top), right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom) };
        }
      }
      box = { left: Math.max(box.left, 0), top: Math.max(box.top, 0), right: Math.min(box.right, innerWidth), bottom: Math.min(box.bottom, innerHeight) };
      if (box.right - box.left < 2 || box.bottom - box.top < 2) return null;
      return new DOMRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
    };
    // A control's touch target: a radio or checkbox is tapped through its label.
    const target = (el: Element): Element => {
      if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) return el.closest('label') ?? (el.labels?.[0] ?? el);
      return el;
    };
    const controls = [...scope.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, summary')].filter((el) => shown(el));
    for (const el of controls) {
      const r = target(el).getBoundingClientRect();
      if (r.width < 43.5 || r.height < 43.5) problems.push(`small target ${Math.round(r.width)}×${Math.round(r.height)}: ${name(el)}`);
    }
    // Text that does not fit its box: cut (without an ellipsis that says so) or spilling out.
    for (const el of scope.querySelectorAll('*')) {
      const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (!hasText || !shown(el)) continue;
      const s = getComputedStyle(el);
      if (s.display === 'inline' || s.display === 'contents') continue;
      const scrolls = (o: string) => o === 'auto' || o === 'scroll';
      const clamped = s.webkitLineClamp !== 'none' && s.webkitLineClamp !== '';
      const he = el as HTMLElement;
      if (he.scrollWidth > he.clientWidth + 1 && !scrolls(s.overflowX) && s.textOverflow !== 'ellipsis') {
        problems.push(`text wider than its box (${he.scrollWidth} > ${he.clientWidth}): ${name(el)}`);
      }
      if (he.scrollHeight > he.clientHeight + 1 && !scrolls(s.overflowY) && !clamped && el.tagName !== 'TEXTAREA') {
        problems.push(`text taller than its box (${he.scrollHeight} > ${he.clientHeight}): ${name(el)}`);
      }
    }
    // Controls and labels lying over each other (a label over its field, a message under a bar).
    const parts = [...controls, ...scope.querySelectorAll('label, [role=alert], [role=status], .error')].filter((el) => shown(el));
    const unique = [...new Set(parts)];
    for (let i = 0; i < unique.length; i++) {
      for (let j = i + 1; j < unique.length; j++) {
        const [a, b] = [unique[i], unique[j]];
        if (a.contains(b) || b.contains(a)) continue;
        const [ra, rb] = [shown(a)!, shown(b)!];
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 2 && h > 2) problems.push(`overlap ${Math.round(w)}×${Math.round(h)}: ${name(a)} and ${name(b)}`);
      }
    }
    return problems;
  });
}

/** Whether `selector`'s element lies wholly within the screen. */
async function inView(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0;
  });
}

for (const [size, viewport] of SIZES) {
  test.describe(size, () => {
    test.use({ viewport });

    test(`every screen and dialog: targets of 44 px, no text out of its box, nothing overlapping (${size})`, async ({ page, backOffice }) => {
      test.setTimeout(120_000);
      const found: string[] = [];
      const check = async (where: string) => {
        await page.screenshot({ path: path.join(SHOTS, `${size}-${where.replace(/ /g, '-')}.png`) });
        found.push(...(await layoutProblems(page)).map((p) => `${where}: ${p}`));
      };

      await everyScreen(page, backOffice, check);
      expect(found, found.join('\n')).toEqual([]);
    });
  });
}

test.describe('landscape cart', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('six cart lines are in view without scrolling, their quantity and remove buttons 44 px or more', async ({ page, backOffice }) => {
    await page.goto(backOffice.url);
    await signIn(page, backOffice.url);
    await cashierIn(page, '1001');
    for (const article of SIX) await tap(page, article);
    const lines = page.getByTestId('cart-line');
    await expect(lines).toHaveCount(6);
    await page.screenshot({ path: path.join(SHOTS, 'landscape-six-lines.png') });
    const outside = await lines.evaluateAll((all) =>
      all.flatMap((line) => {
        const r = line.getBoundingClientRect();
        const list = line.closest('ul, ol')!.getBoundingClientRect();
        const clipped = r.top < Math.max(list.top, 0) - 1 || r.bottom > Math.min(list.bottom, innerHeight) + 1;
        return clipped ? [`${line.getAttribute('data-article')} at ${Math.round(r.top)}–${Math.round(r.bottom)}, list ${Math.round(list.top)}–${Math.round(list.bottom)}`] : [];
      }),
    );
    expect(outside, outside.join('\n')).toEqual([]);
    expect(await layoutProblems(page)).toEqual([]);
  });
});

test.describe('portrait total', () => {
  test.use({ viewport: { width: 800, height: 1280 } });

  test('the total and Pay with the amount are in view without scrolling, and a refusal is not hidden under Pay', async ({ page, backOffice }) => {
    await page.goto(backOffice.url);
    await signIn(page, backOffice.url);
    await cashierIn(page, '1001');
    for (const article of ['W100', 'C200', 'W300', 'X10']) await tap(page, article);
    await expect(page.getByTestId('cart-total')).toHaveText('529.50 SEK');
    await page.screenshot({ path: path.join(SHOTS, 'portrait-total.png') });
    expect(await inView(page, 'cart-total')).toBe(true);
    const pay = page.getByRole('button', { name: 'Pay', exact: true });
    await expect(pay).toBeInViewport({ ratio: 1 });
    // The amount shows on the button itself (generated text: the button's name stays "Pay").
    expect(await pay.evaluate((el) => getComputedStyle(el, '::after').content)).toContain('529.50 SEK');
    // No page scroll is needed: the sale screen is exactly as tall as the screen.
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight + 1)).toBe(true);
    expect(await layoutProblems(page)).toEqual([]);

    // A refusal shows in full above Pay, not under it.
    const line = page.locator('.cart-line[data-article="W100"]');
    await line.locator('summary', { hasText: 'Change price' }).click();
    await line.getByRole('textbox').fill('abc');
    await line.getByRole('button', { name: 'Set price' }).click();
    await expect(page.getByTestId('cart-message')).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, 'portrait-refusal.png') });
    expect(await inView(page, 'cart-message')).toBe(true);
    expect(await layoutProblems(page)).toEqual([]);
  });
});
