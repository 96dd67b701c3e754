// Case tables for the audit log (idempotent DDL, run on every case open).
export const CUSTODY_TABLES: string[] = [];
