import type { Page } from 'playwright-core';

/**
 * What a reader must never see on a Tajik or Russian dashboard page: UPPER_SNAKE reason codes, snake_case
 * statuses, ISO timestamps, `staff:<uuid>` actors, and English status words standing in for a translation.
 */
export const MACHINE_CODE = new RegExp([
  String.raw`\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b`,
  String.raw`\b[a-z]+(?:_[a-z]+)+\b`,
  String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}`,
  String.raw`staff:[0-9a-f-]{36}`,
  String.raw`\b(?:needs_review|verified|rejected|enrollment|verification|approve|reject|recapture|success|alert|active|completed|reviewer|auditor)\b`,
].join('|'), 'g');

/** The text a person sees on the page (what innerText renders: no tooltips, no hidden elements). */
export function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);
}

/** Signs in through the form (the labels in any of the three languages). */
export async function signIn(page: Page, dashboardUrl: string, username: string, password = 'correct horse battery staple'): Promise<void> {
  await page.goto(dashboardUrl);
  await page.waitForURL(/\/dashboard\/login/);
  await page.getByLabel(/User name|Имя|Номи/).fill(username);
  await page.getByLabel(/Password|Пароль|Рамз/).fill(password);
  await page.getByRole('button', { name: /Sign in|Войти|Ворид/ }).click();
}
