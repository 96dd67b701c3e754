import type { CliCommand } from '../command';

// Every scripting command, in the order `help` lists them. Each lives in its own file.
export const commands: CliCommand[] = [];
