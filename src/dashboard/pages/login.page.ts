import { escapeHtml as e } from '../../shared/views/html.js';
import type { PageContext } from '../layout.js';
import { flash } from '../layout.js';

export function loginPage(ctx: PageContext, opts: { csrf: string; next: string; error?: 'invalid' | 'locked' | 'expired'; kept?: boolean }): string {
  const { t } = ctx;
  const message = opts.error === 'locked' ? flash('bad', t.locked) : opts.error === 'invalid' ? flash('bad', t.badLogin)
    : opts.error === 'expired' ? flash('bad', t.sessionEnded) : opts.kept ? flash('ok', t.decisionKept) : '';
  return `<div class="login card"><h1>${e(t.signIn)}</h1>${message}
<form method="post" action="/dashboard/login">
<input type="hidden" name="_csrf" value="${e(opts.csrf)}"><input type="hidden" name="next" value="${e(opts.next)}">
<label for="username">${e(t.username)}</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">${e(t.password)}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">${e(t.signIn)}</button></p></form></div>`;
}
