/**
 * Faces on a document photo besides its portrait. Many documents print a "ghost" copy of the portrait, usually
 * small, on some passports (Qatar's) two thirds of its size: the face model recognises it as the portrait's person
 * and it says nothing. A second face of comparable size that is someone else (another document, a photo beside
 * the page) or a crowd (a group photo sent as the document) leaves it unclear whose portrait the match compared
 * with: the enrolment goes to a person (DOCUMENT_MULTIPLE_FACES). Measured on the specimen pages in
 * docs/DOCUMENTS.md.
 */
import type { FaceFinding } from '../../engine/face-engine.js';
import { euclideanDistance } from '../verification/decision.js';

/** A face of someone else with at least this share of the portrait's box area is a rival. */
export const COMPARABLE_FACE_AREA = 0.3;
/** This many faces of other people besides the portrait, whatever their size, are a crowd. */
export const CROWD_OTHER_FACES = 3;

/** How many faces a document page shows, and what they are. */
export interface DocumentFaceCount {
  /** Every face found on the page, the portrait and any ghost image included. */
  readonly detected: number;
  /** Faces besides the portrait recognised as its person: ghost images. */
  readonly ghosts: number;
  /** Faces of other people with at least {@link COMPARABLE_FACE_AREA} of the portrait's area. */
  readonly rivals: number;
  /** Rivals or a crowd: reason DOCUMENT_MULTIPLE_FACES. */
  readonly multiple: boolean;
}

const area = (f: FaceFinding) => f.box.width * f.box.height;

/**
 * Counts the faces of a document page. The portrait is the largest (as chooseDocumentPortrait takes it); a face
 * within `samePersonMaxDistance` of it (the face model's verify threshold) is its ghost image.
 */
export function countDocumentFaces(faces: readonly FaceFinding[], samePersonMaxDistance: number): DocumentFaceCount {
  const [portrait, ...others] = [...faces].sort((a, b) => area(b) - area(a));
  if (!portrait) return { detected: 0, ghosts: 0, rivals: 0, multiple: false };
  const strangers = others.filter((f) => euclideanDistance(portrait.embedding, f.embedding) > samePersonMaxDistance);
  const rivals = strangers.filter((f) => area(f) >= COMPARABLE_FACE_AREA * area(portrait)).length;
  return {
    detected: faces.length,
    ghosts: others.length - strangers.length,
    rivals,
    multiple: rivals > 0 || strangers.length >= CROWD_OTHER_FACES,
  };
}
