// Transitional: the HTML helpers live in src/shared/views; this re-export goes once every dashboard page imports them there.
export { allowStyleSource, escapeHtml } from '../../shared/views/html.js';
