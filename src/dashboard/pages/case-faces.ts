import { escapeHtml as e } from '../../shared/views/html.js';
import type { CaseFile, CaseImage } from '../../domain/review/case.service.js';
import type { Words } from '../i18n.js';
import type { PageContext } from '../layout.js';

const LABELS: Record<CaseImage['label'], keyof Words> = {
  'new-selfie': 'newSelfie', document: 'document', 'reference-selfie': 'referenceSelfie', 'reference-document': 'referenceDocument', frame: 'frame',
};
// Room around the detected box so that hair, ears and chin show: a reviewer compares more than the inner face.
const MARGIN = 1.6;

export const imageUrl = (caseId: string, img: CaseImage) => `/dashboard/cases/${e(caseId)}/images/${e(img.submissionId)}/${img.role}`;
export const caption = (ctx: PageContext, img: CaseImage, index?: number) =>
  e(ctx.t[LABELS[img.label]] as string) + (index === undefined ? '' : ` ${index + 1}`);

/**
 * The face of one image cut to a square around its detected box, as an SVG whose viewBox does the cropping:
 * every face on the row comes out the same size whatever the photo's size, without inline styles (the CSP
 * forbids them). A photo without a known box is shown whole in the same square.
 */
function crop(ctx: PageContext, caseId: string, img: CaseImage, cls: string): string {
  const label = caption(ctx, img);
  if (!img.box || !img.width || !img.height) {
    return `<img class="${cls} whole" src="${imageUrl(caseId, img)}" alt="${label}">`;
  }
  const b = img.box;
  const side = Math.max(b.width, b.height) * MARGIN;
  const x = b.x + b.width / 2 - side / 2;
  const y = b.y + b.height / 2 - side / 2;
  return `<svg class="${cls}" viewBox="${x.toFixed(1)} ${y.toFixed(1)} ${side.toFixed(1)} ${side.toFixed(1)}" role="img" aria-label="${label}">
<image href="${imageUrl(caseId, img)}" width="${img.width}" height="${img.height}"/></svg>`;
}

/** The faces of the case in a row, cropped alike, each opening larger on click (CSS :target, no script). */
export function faceRow(ctx: PageContext, file: CaseFile): string {
  const faces = file.images.filter((i) => i.label !== 'frame');
  const cells = faces.map((img, k) => img.available
    ? `<figure class="face-cell"><a href="#zoom-${k}" title="${e(ctx.t.zoom)}">${crop(ctx, file.view.id, img, 'face')}</a><figcaption>${caption(ctx, img)}</figcaption></figure>`
    : `<figure class="face-cell"><div class="face gone">${e(ctx.t.imageGone)}</div><figcaption>${caption(ctx, img)}</figcaption></figure>`).join('');
  const zooms = faces.map((img, k) => img.available
    ? `<div class="zoom" id="zoom-${k}"><a class="zoom-close" href="#faces" aria-label="${caption(ctx, img)}">${crop(ctx, file.view.id, img, 'face-large')}</a></div>`
    : '').join('');
  return `<div class="face-row" id="faces">${cells}</div>${zooms}`;
}

/** A whole photo with the detected face outlined (an SVG overlay in the image's own coordinates). */
export function figure(ctx: PageContext, caseId: string, img: CaseImage, index?: number): string {
  const label = caption(ctx, img, index);
  if (!img.available) return `<figure><div class="frame"><div class="gone">${e(ctx.t.imageGone)}</div></div><figcaption>${label}</figcaption></figure>`;
  const box = img.box && img.width && img.height
    ? `<svg class="overlay" viewBox="0 0 ${img.width} ${img.height}" preserveAspectRatio="none" aria-hidden="true"><rect x="${img.box.x}" y="${img.box.y}" width="${img.box.width}" height="${img.box.height}" vector-effect="non-scaling-stroke"/></svg>`
    : '';
  return `<figure><div class="frame"><img src="${imageUrl(caseId, img)}" alt="${label}">${box}</div><figcaption>${label}</figcaption></figure>`;
}
