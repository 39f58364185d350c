import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a file shipped at the project root (e.g. models/calibration.json). Searched upwards
 * from the calling module, because code runs from src/ (tsx, vitest) and from dist/src/ (built image).
 */
export function projectFile(moduleUrl: string, relative: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(path.dirname(fileURLToPath(moduleUrl)), relative);
    dir = parent;
  }
}
