/**
 * The grants of the role the service runs as in production: it reads and writes rows, and nothing more. No DDL (the
 * schema belongs to the owner who runs `cli db migrate`), no TRUNCATE, and no UPDATE or DELETE on the audit trail,
 * which is append-only by privilege as well as by trigger (Art. 25: access must be detectable, so its record must
 * not be editable by the service that writes it).
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function runtimeRoleGrants(role: string, database: string): string[] {
  if (!IDENTIFIER.test(role)) throw new Error(`Role name must be a plain lower-case identifier, got "${role}"`);
  if (!/^[A-Za-z0-9_]{1,63}$/.test(database)) throw new Error(`Unexpected database name "${database}"`);
  return [
    `GRANT CONNECT ON DATABASE "${database}" TO ${role}`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `REVOKE CREATE ON SCHEMA public FROM ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `REVOKE UPDATE, DELETE ON audit_log FROM ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  ];
}
