import { readFile } from 'node:fs/promises';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { runSweep } from '../../engine/sweep/sweep';
import { parseOptions, required } from './custodyArgs';

export const sweepCommand: CliCommand = {
  name: 'sweep',
  usage: 'sweep --case DIR --iocs FILE [--tag NAME] [--name NAME] [--json]',
  summary:
    'Sweep the case for indicators (one a line, # comments): IPv4/IPv6 addresses and CIDR ranges, UPNs, GUIDs, ua:/app:/asn:/country: prefixes. Per indicator: rows, accounts, first and last time; --tag tags every hit. Exit 1 when a line is no indicator.',
  async run(argv) {
    const { values, flags } = parseOptions(argv, ['case', 'iocs', 'tag', 'name'], ['json']);
    const file = required(values, 'iocs');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${file}: cannot be read (${err instanceof Error ? err.message : String(err)})`);
    }
    const session = await CaseSession.open(required(values, 'case'));
    try {
      const r = await runSweep(session, text, { tag: values.get('tag') ?? null, name: values.get('name') });
      for (const p of r.problems) console.error(`${file} line ${p.line}: ${p.reason}; skipped`);
      if (flags.has('json')) {
        console.log(
          JSON.stringify({
            sweep: r.id,
            list_sha256: r.sha256,
            indicators: r.indicators.map((x) => ({ indicator: x.indicator, type: x.type, line: x.line, rows: x.rows, users: x.users, successes: x.successes, first_utc: x.first_utc, last_utc: x.last_utc })),
            rows: r.rows,
            tagged: r.tagged,
            bad_lines: r.problems,
          }),
        );
      } else {
        for (const x of r.indicators) {
          console.log(`${String(x.rows).padStart(7)} rows ${String(x.users).padStart(5)} accounts  ${x.type.padEnd(10)} ${x.indicator}${x.rows ? `  ${x.first_utc} – ${x.last_utc}` : ''}`);
        }
        const hit = r.indicators.filter((x) => x.rows > 0).length;
        console.log(`${hit} of ${r.indicators.length} indicator(s) hit ${r.rows} row(s)${r.tag ? `; ${r.tagged} row(s) newly tagged "${r.tag}"` : ''}; list SHA-256 ${r.sha256}`);
      }
      return r.problems.length ? 1 : 0;
    } finally {
      session.close();
    }
  },
};
