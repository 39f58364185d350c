import { describe, expect, it } from 'vitest';
import { loadCalibration, type ModelCalibration } from '../../../../src/config/calibration.js';
import { estimatedFarOf } from '../../../../src/domain/verification/decision.js';
import { calibrationForSize, decideOnGallery, verifiesAgainstAnchors } from '../../../../src/domain/verification/gallery-decision.js';

const single: ModelCalibration = {
  metric: 'euclidean', verifyMaxDistance: 0.38, reviewMaxDistance: 0.42, similarityZeroAtDistance: 0.76,
  source: 'test', calibratedOn: null, calibratedAt: null,
};
const gallery: ModelCalibration = {
  ...single,
  gallery: {
    rule: 'mean',
    sizes: {
      '1': { verifyMaxDistance: 0.38, reviewMaxDistance: 0.42, source: 'test K=1' },
      '2': { verifyMaxDistance: 0.40, reviewMaxDistance: 0.44, source: 'test K=2' },
      '4': { verifyMaxDistance: 0.43, reviewMaxDistance: 0.46, source: 'test K=4', farTable: [{ distance: 0.4, far: 1e-4 }, { distance: 0.43, far: 1e-3 }] },
    },
  },
};

describe('decision on a gallery', () => {
  it('without a gallery calibration the closest reference decides with the single-pair thresholds (as before galleries)', () => {
    const verdict = decideOnGallery([0.5, 0.3, 0.6], single);
    expect(verdict).toMatchObject({ decision: 'verified', rule: 'min', fusedDistance: 0.3, gallerySize: 3, calibratedSize: null });
  });

  it("fuses by the calibrated rule and uses that size's thresholds; larger galleries use the largest size below", () => {
    expect(decideOnGallery([0.39, 0.41], gallery)).toMatchObject({ decision: 'verified', fusedDistance: 0.4, calibratedSize: 2 });
    expect(decideOnGallery([0.39, 0.41], { ...gallery, gallery: { ...gallery.gallery!, rule: 'min' } }).fusedDistance).toBe(0.39);
    const five = decideOnGallery([0.42, 0.42, 0.42, 0.42, 0.42], gallery);
    expect(five).toMatchObject({ decision: 'verified', gallerySize: 5, calibratedSize: 4 });
    // Three references fall back to size 2's thresholds (no size 3 calibrated): stricter, never looser.
    expect(decideOnGallery([0.42, 0.42, 0.42], gallery)).toMatchObject({ decision: 'needs_review', calibratedSize: 2 });
  });

  it("reads similarity and FAR of the fused distance on the size's own scale", () => {
    const sized = calibrationForSize(gallery, 4).calibration;
    expect(sized).toMatchObject({ verifyMaxDistance: 0.43, similarityZeroAtDistance: 0.86 });
    expect(sized.farTable).toHaveLength(2);
    // The model's single-pair FAR table does not describe a fused distance.
    expect(calibrationForSize({ ...gallery, farTable: [{ distance: 0.3, far: 1e-5 }, { distance: 0.4, far: 1e-3 }] }, 2).calibration.farTable).toBeUndefined();
  });

  it('poisoning guard: a selfie joins only if the anchors alone verify it', () => {
    // Close to a planted recent reference, far from the anchors: the gallery may verify, the guard does not.
    expect(decideOnGallery([0.47, 0.47, 0.2], { ...gallery, gallery: { ...gallery.gallery!, rule: 'min' } }).decision).toBe('verified');
    expect(verifiesAgainstAnchors([0.47, 0.47], gallery)).toBe(false);
    expect(verifiesAgainstAnchors([0.35, 0.41], gallery)).toBe(true);
    expect(verifiesAgainstAnchors([], gallery)).toBe(false);
  });
});

describe('the shipped gallery calibration', () => {
  it('decides the workers\' model by the mean over sizes 1 to 5, each verify threshold reading as FAR 1e-3 on its own table', () => {
    const calibration = loadCalibration('human-faceapi-frnet-5pt');
    expect(calibration.gallery?.rule).toBe('mean');
    expect(Object.keys(calibration.gallery!.sizes)).toEqual(['1', '2', '3', '4', '5']);
    for (const size of [1, 2, 3, 4, 5]) {
      const sized = calibrationForSize(calibration, size).calibration;
      expect(estimatedFarOf(sized.verifyMaxDistance, sized)!.far).toBeCloseTo(1e-3, 4);
      expect(sized.verifyMaxDistance).toBeLessThan(sized.reviewMaxDistance);
    }
  });
});
