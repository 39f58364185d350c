/**
 * Human's BlazeFace detector and 468-point face mesh, driven by the engine on onnxruntime (ENGINE_BACKEND=native|
 * auto with the five-point alignment): the converted graphs (tfjs-graph-onnx.ts) with what @vladmandic/human 3.3.6
 * does around them for the configuration the engine gives it (src/face/facemesh.ts predict with rotation, iris and
 * attention off): detector input (tfjs-sampling.ts), boxes (blazeface-decode.ts), the mesh crop, the face score and
 * the mesh points mapped back into the image. Human calls model.execute synchronously inside its own pipeline and
 * onnxruntime-node only runs asynchronously, so the engine runs the steps itself; test/integration/engine-native.test.ts
 * holds the results to Human's on tfjs WASM.
 */
import type { RgbImage } from '../face-engine.js';
import type { MeshFace, MeshFinder } from '../human/mesh-finder.js';
import { DETECTOR_SIZE, blazeFaceAnchors, blazeFaceRows, decodeFaceBoxes, type FaceBox } from './blazeface-decode.js';
import { createOrtSession, runImage, type Ort, type OrtSession } from './onnx-runtime.js';
import { cropInput, detectorInput, paddedSquare, type Square } from './tfjs-sampling.js';

/** The mesh graph's input side. */
const MESH_SIZE = 192;
const MESH_POINTS = 468;

export interface NativeMeshFinderOptions {
  readonly ort: Ort;
  /** The verified bytes of blazeface.onnx and facemesh.onnx (generated-models.ts). */
  readonly detector: Uint8Array;
  readonly mesh: Uint8Array;
  /** Detector and mesh confidence a face must exceed (Human's face.detector.minConfidence). */
  readonly minScore: number;
}

export async function createNativeMeshFinder({ ort, detector, mesh, minScore }: NativeMeshFinderOptions): Promise<MeshFinder> {
  const detectorSession = await createOrtSession(ort, detector);
  const meshSession = await createOrtSession(ort, mesh).catch(async (error: unknown) => {
    await detectorSession.release();
    throw error;
  });
  const anchors = blazeFaceAnchors();
  // Human keeps a mesh whose rounded score exceeds `minConfidence || 1`: with 0 configured, it asks for 1.
  const meshThreshold = minScore || 1;

  const run = (session: OrtSession, input: Float32Array, side: number) => runImage(ort, session, input, side);

  async function meshOf(square: Square, box: FaceBox): Promise<MeshFace | null> {
    const outputs = await run(meshSession, cropInput(square, box.start, box.end, MESH_SIZE), MESH_SIZE);
    const confidence = outputs.find((o) => o.dims[o.dims.length - 1] === 1)?.data[0];
    const raw = outputs.find((o) => o.dims[o.dims.length - 1] === MESH_POINTS * 3)?.data;
    if (confidence === undefined || !raw) throw new Error('face mesh graph gave no score or no mesh');
    const score = Math.round(100 * confidence) / 100;
    if (!(score > meshThreshold)) return null;
    // Human's transformRawCoords without rotation: mesh pixels scaled to the box around its centre, truncated.
    const [w, h] = [Math.abs(box.end[0] - box.start[0]), Math.abs(box.end[1] - box.start[1])];
    const [cx, cy] = [box.start[0] + (box.end[0] - box.start[0]) / 2, box.start[1] + (box.end[1] - box.start[1]) / 2];
    const points: [number, number, number][] = [];
    for (let i = 0; i < MESH_POINTS; i++) {
      const [x, y, z] = [raw[i * 3] as number, raw[i * 3 + 1] as number, raw[i * 3 + 2] as number];
      points.push([Math.trunc((w / MESH_SIZE) * (x - MESH_SIZE / 2) + cx), Math.trunc((h / MESH_SIZE) * (y - MESH_SIZE / 2) + cy), Math.trunc(z)]);
    }
    return { score, mesh: points };
  }

  return {
    async find(image: RgbImage) {
      const square = paddedSquare(image);
      const rows = blazeFaceRows(await run(detectorSession, detectorInput(square, DETECTOR_SIZE), DETECTOR_SIZE));
      const faces: MeshFace[] = [];
      for (const box of decodeFaceBoxes(rows, anchors, square.side, minScore)) {
        const face = await meshOf(square, box);
        if (face) faces.push(face);
      }
      return faces;
    },
    async dispose() {
      await Promise.all([detectorSession.release(), meshSession.release()]);
    },
  };
}
