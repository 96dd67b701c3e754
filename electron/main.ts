import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, screen, session, shell, utilityProcess } from 'electron';
import { join, resolve } from 'node:path';
import { APP_VERSION } from './appVersion';
import { cliArguments, CLI_SWITCH } from './cli/appArguments';
import { startDesktopApp } from './shell/desktopApp';
import { utilityEngine } from './shell/utilityEngine';

// Browser mode and the desktop app share one data folder; SIGNET_DATA_DIR moves it for both.
if (process.env.SIGNET_DATA_DIR) app.setPath('userData', resolve(process.env.SIGNET_DATA_DIR));

const cli = cliArguments(process.argv, app.isPackaged);
if (cli) {
  // `Signet --cli verify --case DIR`: the installed app carries the scripting commands for
  // machines without Node; no window, no single-instance lock. The exit waits for stdout
  // to drain, since a pipe may still hold the command's output.
  void import('./cli/runCli')
    .then(({ runCli }) => runCli(cli, `${app.isPackaged ? 'Signet' : 'npm start --'} ${CLI_SWITCH}`))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      return 1;
    })
    .then((code) => process.stdout.write('', () => app.exit(code)));
} else {
  // Thin entry: everything the desktop app does lives in shell/desktopApp.ts, which takes
  // Electron's modules as a parameter and is tested in plain Node with fakes. The engine
  // runs in a utility process of its own (engineHost.js, built beside this file); the CLI
  // above runs its commands in this process, as it has no window to keep responsive.
  startDesktopApp(
    { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, screen, session, shell },
    {
      appVersion: APP_VERSION,
      rendererDir: join(__dirname, '../renderer'),
      preloadPath: join(__dirname, '../preload/index.js'),
      docsDir: app.isPackaged ? join(process.resourcesPath, 'docs') : join(app.getAppPath(), 'docs'),
      startEngine: utilityEngine(utilityProcess, join(__dirname, 'engineHost.js')),
      argv: process.argv,
      cwd: process.cwd(),
    },
  );
}
