import type { CommandLine, Session } from 'electron';
import { isAppUrl } from './appProtocol';

export interface RequestPolicyOptions {
  /** DevTools (development builds only) load their own front-end from devtools://. */
  allowDevtools: boolean;
}

/**
 * The session-level allow-list: the app's own origin and same-document data/blob URLs.
 * Everything else (http, https, ws, ftp, file, other schemes) is cancelled before it
 * leaves the process, whatever the page, a library or a bug asks for.
 */
export function isAllowedRequest(url: string, opts: RequestPolicyOptions): boolean {
  if (isAppUrl(url)) return true;
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  if (scheme === 'data:' || scheme === 'blob:') return true;
  if (scheme === 'devtools:' || scheme === 'chrome-devtools:') return opts.allowDevtools;
  return false;
}

/**
 * The one permission granted: writing plain text to the clipboard (copy cell / copy
 * row). Reading the clipboard, and everything else, stays denied.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * Lock down a session: every other permission (camera, notifications, geolocation,
 * clipboard read, HID, serial, ...) is denied, requests outside the allow-list are cancelled,
 * the spell checker (which downloads dictionaries from a CDN) is off, and only
 * downloads of in-page data (the UI's own exports) may be saved.
 */
export function lockDownSession(ses: Session, opts: RequestPolicyOptions): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(GRANTED_PERMISSIONS.has(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => GRANTED_PERMISSIONS.has(permission));
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => callback({ cancel: !isAllowedRequest(details.url, opts) }));
  ses.setSpellCheckerEnabled(false);
  ses.on('will-download', (event, item) => {
    const url = item.getURL();
    if (!url.startsWith('blob:') && !url.startsWith('data:')) event.preventDefault();
  });
}

/**
 * Chromium switches, set before the app is ready, that stop the browser itself from
 * reaching out (component updates, field trials, domain reliability reports, link pings).
 */
export const OFFLINE_CHROMIUM_SWITCHES: ReadonlyArray<readonly [string, string?]> = [
  ['disable-background-networking'],
  ['disable-component-update'],
  ['disable-domain-reliability'],
  ['disable-breakpad'],
  ['no-pings'],
  ['disable-features', 'AutofillServerCommunication,MediaRouter,OptimizationHints,Translate,NetworkTimeServiceQuerying'],
];

export function applyOfflineSwitches(commandLine: Pick<CommandLine, 'appendSwitch'>): void {
  for (const [name, value] of OFFLINE_CHROMIUM_SWITCHES) {
    if (value === undefined) commandLine.appendSwitch(name);
    else commandLine.appendSwitch(name, value);
  }
}
