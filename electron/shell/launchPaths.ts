import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** File types the importer reads; a folder given on the command line contributes these. */
export const EXPORT_EXTENSIONS = ['.csv', '.json', '.ndjson', '.jsonl', '.gz', '.zip'] as const;
/** A case folder holds this; folders named *.signetcase are cases too (macOS opens them as one document). */
export const CASE_MANIFEST = 'manifest.json';
export const CASE_EXTENSION = '.signetcase';

/**
 * The file arguments of an Electron command line. Unpackaged, argv is
 * [electron, appDir, ...]; packaged, [app, ...]. Chromium and Electron switches (and
 * the app folder itself) are not files.
 */
export function launchArguments(argv: readonly string[], isPackaged: boolean, appPath?: string): string[] {
  return argv.slice(isPackaged ? 1 : 2).filter((a) => a && !a.startsWith('-') && (!appPath || resolve(a) !== resolve(appPath)));
}

export interface LaunchTargets {
  /** Export files to import into the current (or a new) case. */
  files: string[];
  /** Case folders to open (the UI opens the first; one case at a time). */
  cases: string[];
  /** Paths that do not exist or hold nothing Signet can open, with the reason. */
  problems: string[];
}

async function isCaseDir(dir: string): Promise<boolean> {
  if (extname(dir).toLowerCase() === CASE_EXTENSION) return true;
  return (await stat(join(dir, CASE_MANIFEST)).catch(() => null))?.isFile() ?? false;
}

/**
 * Sort launch paths into files to import and cases to open. A plain folder contributes
 * the export files directly inside it; a `.signetcase` file opens the case folder it
 * sits in.
 */
export async function classifyLaunchPaths(paths: readonly string[], cwd: string): Promise<LaunchTargets> {
  const out: LaunchTargets = { files: [], cases: [], problems: [] };
  for (const raw of paths) {
    const p = resolve(cwd, raw);
    const st = await stat(p).catch(() => null);
    if (!st) {
      out.problems.push(`${p}: no such file or folder`);
    } else if (st.isDirectory()) {
      if (await isCaseDir(p)) {
        out.cases.push(p);
        continue;
      }
      const names = (await readdir(p)).filter((n) => !n.startsWith('.') && EXPORT_EXTENSIONS.some((e) => n.toLowerCase().endsWith(e))).sort();
      if (!names.length) out.problems.push(`${p}: the folder holds no .csv, .json, .ndjson, .gz or .zip files`);
      out.files.push(...names.map((n) => join(p, n)));
    } else if (extname(p).toLowerCase() === CASE_EXTENSION || (basename(p) === CASE_MANIFEST && (await isCaseDir(dirname(p))))) {
      out.cases.push(dirname(p));
    } else {
      out.files.push(p);
    }
  }
  return out;
}
