import { runCli } from './runCli';

void runCli(process.argv.slice(2), 'npm run -s signet --').then((code) => {
  process.exitCode = code;
});
