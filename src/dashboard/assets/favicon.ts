/** The dashboard's icon (a browser asks for one on every page; without it every page logs a 404). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#12355b"/>
<circle cx="16" cy="13" r="6" fill="none" stroke="#fff" stroke-width="2.5"/><path d="M7 27c2-5 6-7 9-7s7 2 9 7" fill="none" stroke="#fff" stroke-width="2.5"/></svg>`;
