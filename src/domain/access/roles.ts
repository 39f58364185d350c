/** Who may call what. Every route declares the roles it accepts. */
export const ROLES = ['mobile-client', 'reviewer', 'operator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
