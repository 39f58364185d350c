/** The system actor of campaign jobs. */
export const CAMPAIGN_SYSTEM = { type: 'system', id: 'campaigns', role: null } as const;
