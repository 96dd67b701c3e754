// Case tables for rejected rows, row provenance, auth details, Graph activity (idempotent DDL, run on every case open).
export const IMPORT_TABLES: string[] = [];
