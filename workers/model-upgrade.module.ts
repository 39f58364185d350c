// Transitional: the model-upgrade module moved to src/bootstrap (workers/ holds job handlers only); this re-export goes once core.ts imports it there.
export * from '../src/bootstrap/model-upgrade.module.js';
