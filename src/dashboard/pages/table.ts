import { escapeHtml as e } from '../../shared/views/html.js';

/**
 * A data table whose cells carry their column's name: on a narrow screen (a tablet held upright) the stylesheet
 * shows each row as a card with the names beside the values instead of a table wider than the screen.
 * `head` is plain text; cells are HTML.
 */
export function dataTable(head: readonly string[], rows: readonly (readonly string[])[], className = 'cards'): string {
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td data-label="${e(head[i] ?? '')}">${cell}</td>`).join('')}</tr>`).join('');
  return `<table class="${className}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}
