import { UsageError } from '../command';

/** `--name value` options and bare `--flag`s of the custody commands (verify, report, export-parquet). */
export function parseOptions(argv: string[], valued: string[], flags: string[] = []): { values: Map<string, string>; flags: Set<string> } {
  const values = new Map<string, string>();
  const set = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.replace(/^--/, '');
    if (a.startsWith('--') && flags.includes(name)) set.add(name);
    else if (a.startsWith('--') && valued.includes(name)) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      values.set(name, v);
    } else throw new UsageError(`Unknown argument: ${a}`);
  }
  return { values, flags: set };
}

export function required(values: Map<string, string>, name: string): string {
  const v = values.get(name);
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}
