// Preloaded (node --require) into Electron's own install.js by the launcher: reports each
// download's progress to the launcher over the IPC channel. @electron/get shows its own bar
// only after 30 seconds and only on a terminal; this reports from the first byte. If
// @electron/get's layout ever changes, the install still runs, just without progress.
const { createRequire } = require('node:module');
const { basename, dirname, join } = require('node:path');

function report(message) {
  if (process.send) process.send(message);
}

try {
  const requireFromPackage = createRequire(join(process.env.SIGNET_ELECTRON_INSTALL_FROM, 'install.js'));
  const cjsDir = dirname(requireFromPackage.resolve('@electron/get'));
  const { GotDownloader } = requireFromPackage(join(cjsDir, 'GotDownloader.js'));
  const download = GotDownloader.prototype.download;
  // Both conditions silence @electron/get's own bar, which would fight with ours.
  process.env.ELECTRON_GET_NO_PROGRESS = '1';
  GotDownloader.prototype.download = function (url, target, options = {}) {
    const file = basename(new URL(url).pathname);
    report({ type: 'download', url, file });
    const theirs = options.getProgressCallback;
    return download.call(this, url, target, {
      ...options,
      quiet: true,
      getProgressCallback: async (progress) => {
        report({ type: 'progress', file, transferred: progress.transferred, total: progress.total ?? null });
        if (theirs) await theirs(progress);
      },
    });
  };
} catch {
  // Progress is a courtesy; the installer's own behaviour is unchanged.
}
