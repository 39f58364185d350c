/**
 * The passive liveness model in force, written by `npx tsx scripts/eval-spoof.ts --spoof <dir> --write-calibration`.
 * fitted by scripts/eval-spoof.ts on spoof (408 images, 18 subjects), face-api 1.7.15 ssd-mobilenet-v1, PAD framing 1.6; thresholds at leave-one-subject-out BPCER 0.05 (pass) and 0.01 (attack), features all.
 * Do not edit by hand: re-run the evaluation (docs/LIVENESS.md).
 */
import type { PadCalibration } from './passive-pad.js';

export const PAD_CALIBRATION: PadCalibration = {
  features: ["antispoof","liveness","logSharpness","colourfulness","contrast","specular","logSpectralPeak","highFrequency","lbp0","lbp1","lbp2","lbp3","lbp4","lbp5","lbp6","lbp7","lbp8","lbp9","fine0","fine1","fine2","fine3","fine4","fine5","fine6","fine7","fine8","fine9","cbMean","crMean","cbStd","crStd"],
  mean: [0.154561, 7.33783, -0.996723, 24.5458, 39.1622, 0.080459, 2.345, 0.0357362, 0.0197021, 0.03732, 0.058951, 0.161015, 0.350155, 0.156885, 0.057002, 0.0420406, 0.0275129, 0.0894164, 0.0168161, 0.0339194, 0.0470497, 0.140136, 0.323383, 0.186864, 0.0693411, 0.0467691, 0.044745, 0.0909765, 120.395, 139.038, 4.67751, 5.93352],
  scale: [0.625226, 2.10263, 0.508372, 6.61763, 12.1023, 0.148308, 0.312237, 0.0258361, 0.0054819, 0.00940038, 0.0078053, 0.0189858, 0.0497703, 0.0149247, 0.00856739, 0.00920429, 0.0237471, 0.0238292, 0.00571579, 0.00866556, 0.00669115, 0.0199832, 0.0538967, 0.0190055, 0.0118194, 0.0117249, 0.0381207, 0.0249252, 5.15256, 4.50989, 1.31682, 1.99573],
  weights: [0.0965968, 0.342881, 1.34933, 0.748587, 1.14542, -0.328213, -1.20409, -1.1654, -0.530146, 0.376783, -0.659966, -1.32349, -0.643155, 0.537262, 0.660886, 0.921881, 0.89816, 0.762033, -1.30634, -1.1383, -0.117788, 0.921428, -0.458768, -0.100345, 0.592767, 0.356304, 0.689618, -0.446676, 0.357266, 2.46486, -0.337702, 0.388299],
  intercept: 0.548623,
  passScore: 0.1343,
  attackScore: 0.035,
  provenance: "fitted by scripts/eval-spoof.ts on spoof (408 images, 18 subjects), face-api 1.7.15 ssd-mobilenet-v1, PAD framing 1.6; thresholds at leave-one-subject-out BPCER 0.05 (pass) and 0.01 (attack), features all",
};
