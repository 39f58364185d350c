/**
 * The passive liveness model in force, written by `npx tsx scripts/eval-spoof.ts --spoof <dir> --write-calibration`.
 * fitted by scripts/eval-spoof.ts on spoof (408 images, 18 subjects) + bona fide lfw-dev (500 images, 500 subjects), human 3.3.6 human-faceapi-frnet-5pt (blazeface+facemesh), PAD framing 1.6; thresholds at leave-one-subject-out BPCER 0.05 (pass) and 0.01 (attack), features all; held out: identities (102 images, 23 subjects).
 * Do not edit by hand: re-run the evaluation (docs/LIVENESS.md).
 */
import type { PadCalibration } from './passive-pad.js';

export const PAD_CALIBRATION: PadCalibration = {
  features: ["antispoof","liveness","logSharpness","colourfulness","contrast","specular","logSpectralPeak","highFrequency","lbp0","lbp1","lbp2","lbp3","lbp4","lbp5","lbp6","lbp7","lbp8","lbp9","fine0","fine1","fine2","fine3","fine4","fine5","fine6","fine7","fine8","fine9","cbMean","crMean","cbStd","crStd"],
  mean: [0.500766, 5.86461, -1.36985, 29.686, 37.4125, 0.0327922, 2.56542, 0.0261804, 0.0192137, 0.0383528, 0.0592471, 0.1594, 0.350709, 0.16078, 0.0603496, 0.0424491, 0.0235602, 0.0859371, 0.0153718, 0.0324826, 0.0487256, 0.147168, 0.354727, 0.184198, 0.0657652, 0.0418569, 0.0308566, 0.0788485, 115.048, 144.998, 4.90555, 5.88184],
  scale: [0.63643, 2.45625, 0.636229, 9.95942, 10.8507, 0.0990371, 0.344252, 0.0219722, 0.00542281, 0.00927522, 0.00825759, 0.0149732, 0.0484942, 0.0173967, 0.00917711, 0.00927989, 0.0138238, 0.0230245, 0.00515972, 0.00833263, 0.00806038, 0.0159053, 0.0551809, 0.0196048, 0.0107914, 0.0104824, 0.0248492, 0.0230792, 8.33599, 8.62643, 1.87927, 2.08245],
  weights: [-0.0949594, -0.394554, 0.434616, 1.06595, 1.13206, -0.239678, -0.667958, -0.730081, -0.0773892, -0.136253, -0.453656, -1.08162, -0.650615, 0.613143, 0.71157, 1.20243, 0.51029, 0.771632, -1.41478, -0.536146, 0.302994, -0.0872581, 0.546581, -0.444292, 0.0237813, 0.701981, -0.291688, -0.481146, -0.734785, 2.41251, -0.627048, 0.324727],
  intercept: 4.01814,
  passScore: 0.2499,
  attackScore: 0.1268,
  provenance: "fitted by scripts/eval-spoof.ts on spoof (408 images, 18 subjects) + bona fide lfw-dev (500 images, 500 subjects), human 3.3.6 human-faceapi-frnet-5pt (blazeface+facemesh), PAD framing 1.6; thresholds at leave-one-subject-out BPCER 0.05 (pass) and 0.01 (attack), features all; held out: identities (102 images, 23 subjects)",
};
