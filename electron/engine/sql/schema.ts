// Case tables for saved queries and history (idempotent DDL, run on every case open).
export const SQL_TABLES: string[] = [];
