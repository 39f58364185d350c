/**
 * Chooses and starts the tfjs backend the face engine runs on. tfjs keeps one global engine per process,
 * so the backend is started once and every face engine in the process shares it.
 */
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api';
import type * as TfModule from '@tensorflow/tfjs';
import type * as WasmModule from '@tensorflow/tfjs-backend-wasm';

// face-api ships CommonJS bundles that require tfjs themselves; loading them through require keeps
// face-api and our tf handle on the very same tfjs instance (and the same tensor registry).
const require = createRequire(import.meta.url);

/**
 * What the operator asks for (ENGINE_BACKEND). For tfjs, 'auto' takes tfjs-node when it loads, else wasm. 'native'
 * and 'auto' also run the nets that have a generated ONNX graph on onnxruntime (src/engine/native): 'native' requires
 * that runtime, 'auto' uses it when it loads; tfjs runs the rest as under 'auto'.
 */
export type BackendChoice = 'auto' | 'wasm' | 'tensorflow' | 'native';

/** The backend actually running, as tfjs names it. */
export type BackendName = 'tensorflow' | 'wasm';

export type FaceApi = typeof FaceApiModule;
export type Tf = typeof TfModule;

export interface BackendOptions {
  backend: BackendChoice;
  /**
   * WASM thread count. Only honoured where tfjs finds threaded WASM support; Node 20 reports none,
   * so the default (left to tfjs) is single-threaded there.
   */
  wasmThreads?: number;
}

/** The started backend: face-api bound to it, the tf handle, and which backend won. */
export interface TfRuntime {
  readonly faceapi: FaceApi;
  readonly tf: Tf;
  readonly backend: BackendName;
}

let started: Promise<TfRuntime> | undefined;

/**
 * Starts the backend once per process and returns it. A later call asking explicitly for a different
 * backend than the one running is refused: tfjs cannot hold two, and silently ignoring the request
 * would report the wrong speed and numerics.
 */
export async function initBackend(options: BackendOptions): Promise<TfRuntime> {
  if (!started) {
    const attempt = start(options);
    started = attempt;
    // A failed start must not poison the process: the next call tries again.
    attempt.catch(() => {
      if (started === attempt) started = undefined;
    });
  }
  const runtime = await started;
  if (options.backend !== 'auto' && options.backend !== 'native' && options.backend !== runtime.backend) {
    throw new Error(
      `tfjs backend "${runtime.backend}" is already running in this process; cannot switch to "${options.backend}".`,
    );
  }
  return runtime;
}

async function start(options: BackendOptions): Promise<TfRuntime> {
  if (options.backend !== 'wasm') {
    const native = loadTfjsNode();
    if (native.tf) {
      const faceapi = require('@vladmandic/face-api/dist/face-api.node.js') as FaceApi;
      await activate(native.tf, 'tensorflow');
      return { faceapi, tf: native.tf, backend: 'tensorflow' };
    }
    if (options.backend === 'tensorflow') {
      throw new Error('tfjs backend "tensorflow" requested but @tensorflow/tfjs-node could not be loaded.', {
        cause: native.error,
      });
    }
  }
  const tf = require('@tensorflow/tfjs') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof WasmModule;
  // The binaries are read from the installed package, never a CDN: the manifest verified these bytes,
  // and production hosts have no internet. usePlatformFetch must stay false: Node's fetch cannot read paths.
  wasm.setWasmPaths(wasmBinaryDir());
  if (options.wasmThreads !== undefined) wasm.setThreadsCount(options.wasmThreads);
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  await withoutProcessHandlers(() => activate(tf, 'wasm'));
  return { faceapi, tf, backend: 'wasm' };
}

/**
 * The Emscripten runtime of the wasm backend registers process-wide uncaughtException and unhandledRejection
 * listeners that rethrow, which overrides the application's own handlers and prints the whole minified
 * runtime on a crash. Those listeners are removed again; Node's default (crash on unhandled rejection) remains.
 */
async function withoutProcessHandlers(run: () => Promise<void>): Promise<void> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = new Set(events.flatMap((event) => emitter.listeners(event)));
  try {
    await run();
  } finally {
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

/** tfjs-node is an optional native speed-up; it is not a dependency, so its absence is normal. */
function loadTfjsNode(): { tf?: Tf; error?: unknown } {
  try {
    return { tf: require('@tensorflow/tfjs-node') as Tf };
  } catch (error) {
    return { error };
  }
}

async function activate(tf: Tf, name: BackendName): Promise<void> {
  // setBackend resolves false (rather than throwing) when the backend fails to initialise.
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend "${name}" failed to initialise.`);
  await tf.ready();
}

/** Directory of the installed tfjs-backend-wasm binaries, with the trailing separator tfjs expects. */
export function wasmBinaryDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}
