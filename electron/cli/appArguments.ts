/** The switch that makes the installed app run one scripting command instead of opening a window. */
export const CLI_SWITCH = '--cli';

/**
 * The scripting command's arguments when the app was started as `Signet --cli <command> ...`
 * (or `electron <app folder> --cli ...` in development), else null. Chromium switches may
 * come before `--cli`; a file before it means a normal launch that opens files.
 */
export function cliArguments(argv: readonly string[], isPackaged: boolean): string[] | null {
  const userArgs = argv.slice(isPackaged ? 1 : 2);
  const at = userArgs.indexOf(CLI_SWITCH);
  if (at < 0 || userArgs.slice(0, at).some((a) => !a.startsWith('-'))) return null;
  return userArgs.slice(at + 1);
}
