/**
 * Loading tfjs graph models from local files. Human in Node loads models only over http(s) (its fetch) or through
 * a tfjs IOHandler; production hosts have no internet, so models are read from disk by the handler below, after
 * the model manifest has verified the very files it reads.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';

/** URL scheme Human is given (modelBasePath); the router below answers it and nothing else. */
export const MODEL_SCHEME = 'zinda-models://';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  modelInitializer?: unknown;
}

/** An IOHandler that reads a graph model's JSON and weight files from disk. */
export function fileModelHandler(jsonPath: string): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        for (const file of group.paths) buffers.push(await readFile(join(dirname(jsonPath), file)));
      }
      const weights = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? null,
        signature: json.signature as io.ModelArtifacts['signature'],
        userDefinedMetadata: json.userDefinedMetadata as io.ModelArtifacts['userDefinedMetadata'],
        modelInitializer: json.modelInitializer as io.ModelArtifacts['modelInitializer'],
      };
    },
  };
}

/** `zinda-models://<name>.json` -> path on disk; filled by engines before Human loads. */
const registered = new Map<string, string>();
let routerInstalled = false;

/**
 * Makes `zinda-models://<name>` resolve to `jsonPath` for tfjs (and so for Human). The router is installed once
 * per process; a name registered twice must point at the same file, so two engines cannot swap each other's nets.
 */
export function registerModelFile(tf: Tf, name: string, jsonPath: string): string {
  const existing = registered.get(name);
  if (existing && existing !== jsonPath) throw new Error(`model "${name}" is already registered from ${existing}, not ${jsonPath}`);
  registered.set(name, jsonPath);
  if (!routerInstalled) {
    // tfjs routers return null for URLs they do not handle (its IORouter type omits that).
    tf.io.registerLoadRouter(((url: string | string[]) => {
      if (typeof url !== 'string' || !url.startsWith(MODEL_SCHEME)) return null;
      const path = registered.get(url.slice(MODEL_SCHEME.length));
      // An unregistered name must fail loudly, never fall through to another handler (e.g. http).
      return path ? fileModelHandler(path) : { load: () => Promise.reject(new Error(`unregistered model ${url}`)) };
    }) as Parameters<Tf["io"]["registerLoadRouter"]>[0]);
    routerInstalled = true;
  }
  return `${MODEL_SCHEME}${name}`;
}
