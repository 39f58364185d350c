import { describe, expect, it } from 'vitest';
import type { Point } from '../../../src/engine/face-engine.js';
import { faceGeometry, headPose, NEUTRAL_PITCH_OFFSET_DEG } from '../../../src/domain/quality/face-geometry.js';

// A 68-point face drawn by projecting a rough 3-D head (x right, y up, z towards the camera) after a known rotation.
const HEAD: Record<number, [number, number, number]> = {
  30: [0, 0, 0], 8: [0, -330, -65], 36: [-225, 170, -135], 45: [225, 170, -135], 48: [-150, -150, -125], 54: [150, -150, -125],
};

function rotation(yaw: number, pitch: number, roll: number): number[][] {
  const [y, p, r] = [yaw, pitch, roll].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const Ry = [[Math.cos(y), 0, Math.sin(y)], [0, 1, 0], [-Math.sin(y), 0, Math.cos(y)]];
  const Rx = [[1, 0, 0], [0, Math.cos(p), -Math.sin(p)], [0, Math.sin(p), Math.cos(p)]];
  const Rz = [[Math.cos(r), -Math.sin(r), 0], [Math.sin(r), Math.cos(r), 0], [0, 0, 1]];
  const mul = (a: number[][], b: number[][]) => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
  return mul(Ry, mul(Rx, Rz));
}

/** Landmarks of the model head seen at the given pose (pitch in the model's "tips down" sense). */
function project(yaw: number, modelPitch: number, roll: number, eyeOpen = 0.3): Point[] {
  const R = rotation(yaw, modelPitch, roll);
  const toImage = ([x, y, z]: [number, number, number]): Point => {
    const v = R.map((row) => row[0]! * x + row[1]! * y + row[2]! * z);
    return { x: 500 + v[0]! * 0.4, y: 500 - v[1]! * 0.4 };
  };
  const points: Point[] = Array.from({ length: 68 }, () => toImage([0, 0, -50]));
  for (const [i, p] of Object.entries(HEAD)) points[Number(i)] = toImage(p);
  // Eyes and inner lips as flat outlines around their corners, so that the openness measures have something to read.
  const eye = (first: number, cx: number) => {
    const w = 90;
    const h = eyeOpen * w;
    const outline: [number, number][] = [[-w / 2, 0], [-w / 6, h / 2], [w / 6, h / 2], [w / 2, 0], [w / 6, -h / 2], [-w / 6, -h / 2]];
    outline.forEach(([dx, dy], k) => { points[first + k] = toImage([cx + dx, 170 + dy, -135]); });
  };
  eye(36, -180);
  eye(42, 180);
  for (let k = 0; k < 8; k++) {
    const a = (k / 8) * 2 * Math.PI;
    points[60 + k] = toImage([-Math.cos(a) * 100, -150 + Math.sin(a) * 10, -125]);
  }
  for (let k = 17; k < 27; k++) points[k] = toImage([-200 + (k - 17) * 44, 230, -120]);
  return points;
}

describe('head pose from 68 landmarks', () => {
  it.each([
    [0, 0, 0], [20, 0, 0], [-25, 0, 0], [0, 15, 0], [0, -15, 0], [0, 0, 20], [15, -10, 12], [-30, 10, -8],
  ])('recovers yaw %d, pitch %d, roll %d within 2 degrees', (yaw, pitch, roll) => {
    const pose = headPose(project(yaw, pitch, roll));
    expect(pose.yaw).toBeCloseTo(yaw, -0.6);
    // Reported pitch is "looking up" positive, plus the neutral offset for real faces.
    expect(pose.pitch - NEUTRAL_PITCH_OFFSET_DEG).toBeCloseTo(-pitch, -0.6);
    expect(pose.roll).toBeCloseTo(roll, -0.6);
  });

  it('reads the subject\'s own left as positive yaw: the nose moves to the image\'s right', () => {
    const turned = project(25, 0, 0);
    const eyesMid = (turned[36]!.x + turned[45]!.x) / 2;
    expect(turned[30]!.x).toBeGreaterThan(eyesMid);
    expect(headPose(turned).yaw).toBeGreaterThan(20);
  });
});

describe('eye and mouth openness, inter-eye distance', () => {
  it('tells open eyes from closed ones', () => {
    expect(faceGeometry(project(0, 0, 0, 0.32)).eyeOpenness.mean).toBeGreaterThan(0.25);
    expect(faceGeometry(project(0, 0, 0, 0.05)).eyeOpenness.mean).toBeLessThan(0.1);
  });

  it('measures the inter-eye distance in pixels, whatever the roll', () => {
    const level = faceGeometry(project(0, 0, 0)).interEyeDistance;
    expect(level).toBeCloseTo(0.4 * 360, 0);
    expect(faceGeometry(project(0, 0, 30)).interEyeDistance).toBeCloseTo(level, 0);
  });

  it('refuses landmarks that are not the 68-point layout', () => {
    expect(() => faceGeometry([{ x: 0, y: 0 }])).toThrow(/68/);
  });
});
