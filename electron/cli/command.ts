/** One scripting command: `npm run -s signet -- <name> ...`. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Returns the process exit code: 0 ok, 1 failure, 2 usage error. */
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {}
