// Transitional: the campaign module moved to src/bootstrap (workers/ holds job handlers only); this re-export goes once core.ts imports it there.
export * from '../src/bootstrap/campaign.module.js';
