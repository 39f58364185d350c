import sharp from 'sharp';
import type { ModelCalibration } from '../config/calibration.js';
import { createMrzReader, documentPhotoFingerprints, inspectDocument, type DocumentReason } from '../documents/index.js';
import { countDocumentFaces } from '../domain/documents/document-faces.js';
import { documentKeys } from '../domain/documents/document-keys.js';
import { DocumentRegistry } from '../domain/documents/document-registry.service.js';
import { describePortrait } from '../domain/documents/portrait-report.js';
import type { DocumentCheck } from '../domain/submissions/submission.js';
import { analyseDocument } from '../domain/verification/face-analysis.js';
import type { FaceEngine } from '../engine/face-engine.js';
import { cropRgb, decodeRgb } from '../images/image-codec.js';
import type { Service } from './service.js';

const ops = { decodeRgb, cropRgb };

/**
 * The enrolment's document check: the subject's typed passport fields against the MRZ read from the photo, the
 * portrait measured on the upright page, and the same document looked for under other subjects (number and photo).
 * The result keeps verdicts and measures only; MRZ text, field values and other subjects' identities stay out.
 */
export async function createDocumentCheck(svc: Service, engine: FaceEngine, calibration: ModelCalibration) {
  const reader = await createMrzReader();
  // A second face the model verifies as the portrait's person is its printed ghost image, not a rival.
  const ghostMaxDistance = calibration.verifyMaxDistance;
  const registry = new DocumentRegistry({
    uow: svc.platform.uow, index: svc.platform.vault, clock: svc.platform.clock,
    policy: { maxPortraitBits: svc.platform.config.DOCUMENT_REUSE_MAX_PORTRAIT_BITS, maxPageBits: svc.platform.config.DOCUMENT_REUSE_MAX_PAGE_BITS },
  });

  const check = async (subjectId: string, jpeg: Uint8Array, submissionId?: string): Promise<DocumentCheck> => {
    const subject = await svc.platform.uow.ports.subjects.findById(subjectId);
    const passport = subject ? await svc.subjects.subjects.passport(subject) : null;
    if (!passport) {
      return {
        documentType: 'unknown', mrzFound: false, mrzFormat: null, checkDigitsValid: null, confidence: null, fieldsVerified: false,
        fields: {}, expired: null, rotationApplied: null, reasons: ['DOCUMENT_FIELDS_UNVERIFIED'], needsReview: true,
      };
    }
    const image = Buffer.from(jpeg);
    const inspection = await inspectDocument(reader, image, {
      documentType: passport.documentType, number: passport.number, surname: passport.surname, givenNames: passport.givenNames,
      dateOfBirth: passport.dateOfBirth, expiryDate: passport.expiryDate, mrz: passport.mrz ?? null,
    }, svc.platform.clock.now());
    // The portrait is found and measured on the page turned upright by its MRZ (as photographed when none was read).
    const turn = inspection.rotationApplied;
    const page = turn ? await sharp(image).rotate(turn).jpeg({ quality: 95 }).toBuffer() : image;
    const { face, image: decoded } = await analyseDocument(engine, ops, page);
    const faces = countDocumentFaces(decoded.faces, ghostMaxDistance);
    const facesReasons: DocumentReason[] = faces.multiple ? ['DOCUMENT_MULTIPLE_FACES'] : [];
    const found = await registry.checkAndRecord({
      subjectId, ...(submissionId ? { submissionId } : {}),
      keys: documentKeys(passport.number, passport.documentType, inspection.mrz),
      photo: face ? { upright: turn !== null, turns: await documentPhotoFingerprints(page, face.box) } : null,
    });
    return {
      documentType: inspection.documentType,
      mrzFound: inspection.mrz !== null,
      mrzFormat: inspection.mrz?.format ?? null,
      checkDigitsValid: inspection.mrz?.valid ?? null,
      confidence: inspection.mrz ? Math.round(inspection.mrz.confidence * 1000) / 1000 : null,
      fieldsVerified: inspection.fieldsVerified,
      fields: Object.fromEntries(Object.entries(inspection.fields).map(([k, v]) => [k, String(v)])),
      expired: inspection.expired,
      rotationApplied: inspection.rotationApplied,
      reasons: [...inspection.reasons, ...found.reasons, ...facesReasons],
      needsReview: inspection.needsReview || found.reasons.length > 0 || faces.multiple,
      portrait: face ? describePortrait(decoded.rgb, face, svc.quality.thresholds, turn) : null,
      faces: { detected: faces.detected, ghosts: faces.ghosts, rivals: faces.rivals },
      elsewhere: { numberHolders: found.numberHolders, imageMatches: found.imageMatches },
    };
  };

  return { check, close: () => reader.close() };
}
