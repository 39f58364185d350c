import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/env.js';

describe('OFFICE_TIME_ZONE', () => {
  it('defaults to Dushanbe and refuses a zone the runtime does not know', () => {
    expect(loadConfig({}).OFFICE_TIME_ZONE).toBe('Asia/Dushanbe');
    expect(loadConfig({ OFFICE_TIME_ZONE: 'Asia/Samarkand' }).OFFICE_TIME_ZONE).toBe('Asia/Samarkand');
    expect(() => loadConfig({ OFFICE_TIME_ZONE: 'Mars/Olympus_Mons' })).toThrow(/OFFICE_TIME_ZONE/);
  });
});
