/**
 * Collects the JSON paths a mapping needs so that each record is parsed once:
 * `json_extract_string(j, [path, ...])` returns every value in one list, and a field is
 * `v[i]`. Nested objects come back as their JSON text.
 */
export class PathList {
  private readonly paths: string[] = [];

  constructor(private readonly listVar = 'v') {}

  /** `segments` like ['location', 'geoCoordinates', 'latitude']. */
  get(...segments: string[]): string {
    const path = '$' + segments.map((s) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `."${s}"`)).join('');
    let i = this.paths.indexOf(path);
    if (i < 0) {
      this.paths.push(path);
      i = this.paths.length - 1;
    }
    return `${this.listVar}[${i + 1}]`;
  }

  /** The extraction over the JSON text expression `j`. Paths are fixed identifiers, never input. */
  extractSql(j: string): string {
    return `json_extract_string(${j}, [${this.paths.map((p) => `'${p.replace(/'/g, "''")}'`).join(', ')}])`;
  }
}
