import type { WebContents, WebPreferences } from 'electron';
import { isAppUrl } from './appProtocol';

/**
 * The renderer gets no Node, runs in Chromium's sandbox, is isolated from the preload,
 * keeps the same-origin policy, and cannot host <webview>s or navigate by dropping a file.
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

interface Preventable {
  preventDefault(): void;
}

/**
 * Navigation and new windows are blocked: the app is one page that never leaves
 * app://signet. In-app navigation within the origin (a reload) stays possible; links to
 * anywhere else, redirects, webview attachment and window.open are all refused.
 */
export function hardenWebContents(contents: WebContents): void {
  const keepInApp = (event: Preventable, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => keepInApp(event, url));
  contents.on('will-frame-navigate', (event) => keepInApp(event, event.url));
  contents.on('will-redirect', (event, url) => keepInApp(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
