import type { CliCommand } from './command';
import { UsageError } from './command';
import { commands } from './commands';
import { exitQuietlyOnClosedPipe } from './closedPipe';

function help(invocation: string): string {
  const lines = commands.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `Usage: ${invocation} <command> [options]\n\nCommands:\n${lines.join('\n')}`;
}

/**
 * Runs one scripting command and returns the exit code (0 ok, 1 failure, 2 usage error).
 * `invocation` is how the user started it (`npm run -s signet --`, or the installed app's
 * `Signet --cli`), for the usage lines.
 */
export async function runCli(argv: readonly string[], invocation: string): Promise<number> {
  exitQuietlyOnClosedPipe();
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help(invocation));
    return name ? 0 : 2;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`Unknown command: ${name}\n\n${help(invocation)}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\nUsage: ${invocation} ${command.usage}`);
      return 2;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
