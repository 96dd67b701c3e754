import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { link, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { DATABASE_FILE, MANIFEST_FILE } from './manifest';

/** Folders of a case that hold what Signet writes for the user; everything else in a case folder is the case. */
export const CASE_OUTPUT_FOLDERS = ['reports', 'exports'] as const;

/** A case whose folder and registered evidence an output must never replace. */
export interface ProtectedCase {
  dir: string;
  sources: { path: string }[];
}

export interface OutputTargetOptions {
  /** The user asked to replace an existing file (`--force`, or a confirmed dialog). */
  replace?: boolean;
  /** The open case and every case named on the command line. */
  cases?: ProtectedCase[];
}

/** An output that must not be written; the message is one sentence saying why. */
export class OutputRefused extends Error {
  readonly code = 'output_refused';
}

/**
 * Where a path really points: the real path of its folder (symlinks and `..` resolved; on
 * macOS and Windows also the on-disk spelling of each name) plus its own name, or the real
 * path of the file itself when it exists (a symlink to evidence is the evidence).
 */
export function canonicalTarget(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch {
    // Does not exist (or a dangling link): resolve the nearest existing ancestor.
  }
  const rest: string[] = [];
  let dir = abs;
  for (;;) {
    const parent = dirname(dir);
    rest.unshift(basename(dir));
    if (parent === dir) return abs;
    dir = parent;
    try {
      return join(realpathSync.native(dir), ...rest);
    } catch {
      // keep climbing
    }
  }
}

/** Compare paths the way the file system does (case-insensitive on macOS and Windows). */
function samePath(a: string, b: string): boolean {
  return foldCase(a) === foldCase(b);
}

function foldCase(p: string): string {
  return process.platform === 'darwin' || process.platform === 'win32' ? p.toLowerCase() : p;
}

function inside(child: string, parent: string): boolean {
  const rel = relative(foldCase(parent), foldCase(child));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function isCaseFolder(dir: string): boolean {
  if (existsSync(join(dir, DATABASE_FILE))) return true;
  try {
    return (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { format?: unknown }).format === 'signet-case';
  } catch {
    return false;
  }
}

/** Every case folder that holds `path`: the cases named, and any Signet case found above it. */
function enclosingCases(path: string, cases: ProtectedCase[]): string[] {
  const found = cases.map((c) => canonicalTarget(c.dir)).filter((d) => inside(path, d));
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    if (isCaseFolder(dir) && !found.some((f) => samePath(f, dir))) found.push(dir);
  }
  return found;
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * The one rule every writer follows (reports, exports, Parquet, generated data, PDFs):
 * never the evidence of a case, never a file of a case outside its output folders, and never
 * an existing file unless replacing was asked for. Returns the canonical target path.
 */
export function checkOutputTarget(path: string, opts: OutputTargetOptions = {}, kind: 'file' | 'folder' = 'file'): string {
  const target = canonicalTarget(path);
  const cases = opts.cases ?? [];
  for (const c of cases) {
    for (const s of c.sources) {
      const evidence = canonicalTarget(s.path);
      if (samePath(evidence, target) || sameFile(evidence, target)) {
        throw new OutputRefused(`Refused to write ${path}: it is evidence of the case ${c.dir}, and evidence is only ever read, even with --force.`);
      }
      if (kind === 'folder' && inside(evidence, target)) {
        throw new OutputRefused(`Refused to write into ${path}: it holds evidence of the case ${c.dir} (${s.path}), and evidence is only ever read.`);
      }
    }
    if (kind === 'folder' && (samePath(canonicalTarget(c.dir), target) || inside(canonicalTarget(c.dir), target))) {
      throw new OutputRefused(`Refused to write into ${path}: it holds the case ${c.dir}, which an output must never replace.`);
    }
  }
  for (const caseDir of enclosingCases(target, cases)) {
    const parts = relative(caseDir, target).split(sep);
    const folder = parts[0] ?? '';
    const allowed = parts.length >= 2 && CASE_OUTPUT_FOLDERS.some((f) => samePath(f, folder));
    if (!allowed) {
      throw new OutputRefused(
        `Refused to write ${path}: it is inside the case folder ${caseDir}, where only the ${CASE_OUTPUT_FOLDERS.map((f) => `${f}/`).join(' and ')} folders take outputs, so the case itself can never be replaced.`,
      );
    }
  }
  if (kind === 'file' && existsSync(target) && !opts.replace) {
    throw new OutputRefused(`Refused to write ${path}: the file already exists; choose another name, or ask to replace it (--force).`);
  }
  return target;
}

/** A temporary name in the target's own folder, so the final rename never crosses file systems. */
export function tempBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
}

/**
 * Put a finished temporary file in place, checking the rules again first (the target may
 * have appeared meanwhile). Without replace the final step is a link, which fails instead
 * of replacing a file that appeared in between; the temporary file is removed either way.
 */
export async function placeOutput(tmp: string, path: string, opts: OutputTargetOptions = {}): Promise<string> {
  try {
    const target = checkOutputTarget(path, opts);
    if (opts.replace) await rename(tmp, target);
    else {
      await link(tmp, target).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new OutputRefused(`Refused to write ${path}: the file already exists; choose another name, or ask to replace it (--force).`);
        // File systems without hard links: the existence check above has just run.
        if (err.code === 'EPERM' || err.code === 'ENOTSUP' || err.code === 'EXDEV') return rename(tmp, target);
        throw err;
      });
    }
    return target;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Write a whole output (text or bytes) under the rules: temp file in the folder, then place. */
export async function writeOutputFile(path: string, data: string | Uint8Array, opts: OutputTargetOptions = {}): Promise<string> {
  const target = checkOutputTarget(path, opts);
  const tmp = tempBeside(target);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return placeOutput(tmp, path, opts);
}

/**
 * An output folder (Parquet export, generated data) under the rules: new or empty, or,
 * with replace, a folder Signet wrote before (`marker` at its root).
 */
export async function checkOutputFolder(path: string, opts: OutputTargetOptions, marker?: string): Promise<string> {
  const target = checkOutputTarget(path, { ...opts, replace: true }, 'folder');
  const entries = await readdir(target).catch(() => [] as string[]);
  if (entries.length === 0) return target;
  const st = await stat(target);
  if (!st.isDirectory()) throw new OutputRefused(`Refused to write into ${path}: it is a file, not a folder.`);
  if (!opts.replace) throw new OutputRefused(`Refused to write into ${path}: the folder is not empty; choose a new or empty folder, or ask to replace an earlier export (--force).`);
  if (!marker || !entries.includes(marker)) {
    throw new OutputRefused(`Refused to replace ${path}: it is not an earlier Signet export (no ${marker ?? 'marker'} in it), so its files are not Signet's to delete.`);
  }
  return target;
}

/** The open case as a case an output must respect. */
export function protectedCase(session: { dir: string; manifest: { sources: { path: string }[] } }): ProtectedCase {
  return { dir: session.dir, sources: session.manifest.sources };
}
