import type { Params } from './sqlParams';

/**
 * Collects the JSON paths a mapping needs so that each record is parsed once:
 * `json_transform(j, structure)` reads every wanted field into one struct, and a field is a
 * struct_extract of it. A `get` leaf is VARCHAR: text as json_extract_string gives it (strings
 * unescaped, numbers and booleans as written, nested objects and arrays as their JSON text,
 * the first of repeated keys). Cheaper than `json_extract_string(j, [path, ...])`, whose list
 * of values is built and then taken apart again (10% of a Graph JSON import's CPU).
 */
export class PathList {
  private readonly paths: Array<{ segments: string[]; type: 'VARCHAR' | 'JSON' }> = [];

  /**
   * `jsonFields`: record-level fields read as text that the record's `extra` also keeps (a
   * mapping's fallbacks). They are extracted as JSON and read as text from that, which gives
   * the same text, so that `extra` can be built from the one extraction (see `objectOf`).
   */
  constructor(
    private readonly structVar = 'v',
    private readonly jsonFields: readonly string[] = [],
  ) {}

  /** `segments` like ['location', 'geoCoordinates', 'latitude']. Names are fixed identifiers, never input. */
  get(...segments: string[]): string {
    if (segments.length === 1 && this.jsonFields.includes(segments[0]!)) return `json_extract_string(${this.leaf(segments, 'JSON')}, '$')`;
    return this.leaf(segments, 'VARCHAR');
  }

  /**
   * A JSON object of the record-level fields `names` (in that order) as they are in the
   * record, from the one extraction; null when a name is already read as text (it would need
   * a second parse) or is not a plain identifier (names here come from the evidence, and the
   * extraction's structure is SQL text). Names are bound as parameters in the object itself.
   */
  objectOf(names: readonly string[], p: Params): string | null {
    if (!names.every((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) return null;
    const textLeaf = names.some((n) => this.paths.some((x) => x.segments.length === 1 && x.segments[0] === n && x.type === 'VARCHAR'));
    if (textLeaf) return null;
    return `json_object(${names.map((n) => `${p.p(n)}, ${this.json(n)}`).join(', ')})`;
  }

  /**
   * The value as JSON text (strings keep their quotes, null is NULL), for columns stored as
   * JSON: it is already valid JSON, so it needs no second parse to check or cast it.
   */
  json(...segments: string[]): string {
    return this.leaf(segments, 'JSON');
  }

  private leaf(segments: string[], type: 'VARCHAR' | 'JSON'): string {
    const known = this.paths.find((p) => p.segments.length === segments.length && startsWith(p.segments, segments));
    if (known && known.type !== type) throw new Error(`JSON path ${segments.join('.')} is read both as ${known.type} and as ${type}`);
    if (!known) {
      // A struct field is either a value or an object, so one path may not lead through another.
      const clash = this.paths.find((p) => startsWith(p.segments, segments) || startsWith(segments, p.segments));
      if (clash) throw new Error(`JSON paths ${clash.segments.join('.')} and ${segments.join('.')} overlap`);
      this.paths.push({ segments, type });
    }
    return segments.reduce((expr, s) => `struct_extract(${expr}, '${s.replace(/'/g, "''")}')`, this.structVar);
  }

  /** The field names read directly under `prefix` (the record's own keys for []), each once. */
  namesUnder(...prefix: string[]): string[] {
    const names = this.paths.filter((p) => p.segments.length > prefix.length && startsWith(p.segments, prefix)).map((p) => p.segments[prefix.length]!);
    return [...new Set(names)];
  }

  /** The extraction over the JSON text expression `j`. */
  extractSql(j: string): string {
    if (this.paths.length === 0) return 'NULL';
    const tree: Record<string, unknown> = {};
    for (const { segments: p, type } of this.paths) {
      let node = tree;
      p.forEach((s, i) => {
        if (i === p.length - 1) node[s] = type;
        else node = (node[s] ??= {}) as Record<string, unknown>;
      });
    }
    return `json_transform(${j}, '${JSON.stringify(tree).replace(/'/g, "''")}')`;
  }
}

/** Whether `path` begins with all of `prefix`. */
function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}
