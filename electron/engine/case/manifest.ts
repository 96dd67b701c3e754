import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FILE = 'case.duckdb';

export interface ManifestSource {
  id: number;
  /** Absolute path when imported; the case re-links by hash if the evidence moves. */
  path: string;
  name: string;
  /** For entries of an archive: the entry name inside it. */
  entry?: string;
  sha256: string;
  bytes: number;
  mtimeMs: number;
  shape: string;
  logType: string | null;
  /** Why the source's rows have their log type (content, file name, or the user's choice). */
  logTypeReason?: string;
  read: number;
  imported: number;
  duplicates: number;
  rejected: number;
  errors: string[];
  importedAt: string;
  /** How the bytes were wrapped and encoded when read (gzip, zip; utf-8, utf-8-bom, utf-16le/be). */
  container?: 'gzip' | 'zip' | null;
  encoding?: string | null;
  /** The container was cut short or damaged: what came before the damage was imported. */
  incomplete?: string;
}

export interface Manifest {
  format: 'signet-case';
  version: 1;
  name: string;
  createdAt: string;
  appVersion: string;
  sources: ManifestSource[];
}

export async function readManifest(dir: string): Promise<Manifest> {
  const text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  const parsed = JSON.parse(text) as Manifest;
  if (parsed.format !== 'signet-case') throw new Error(`${join(dir, MANIFEST_FILE)} is not a Signet case manifest`);
  return parsed;
}

/** Written to a temporary file then renamed, so a crash never leaves half a manifest. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const target = join(dir, MANIFEST_FILE);
  const tmp = `${target}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  await rename(tmp, target);
}
