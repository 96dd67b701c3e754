import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DesktopBridge } from './api/desktopHost';

import { IPC_CHANNELS } from './shell/channels';

const { call: CALL, pickFiles: PICK_FILES, pickFolder: PICK_FOLDER, menu: MENU, menuReady: MENU_READY } = IPC_CHANNELS;

// The only thing the sandboxed renderer gets: the contract's one call channel and a few
// native affordances. No Node, no ipcRenderer, no arbitrary channels.
const bridge: DesktopBridge = {
  call: (method, args) => ipcRenderer.invoke(CALL, String(method), args),
  pickFiles: () => ipcRenderer.invoke(PICK_FILES),
  pickFolder: () => ipcRenderer.invoke(PICK_FOLDER),
  pathForFile: (file) => webUtils.getPathForFile(file),
  onMenu: (listener) => {
    const handler = (_e: Electron.IpcRendererEvent, command: unknown, arg?: unknown) => {
      if (typeof command === 'string') listener(command, typeof arg === 'string' ? arg : undefined);
    };
    ipcRenderer.on(MENU, handler);
    // Commands queued in main (files from the command line, a second launch) flow once a listener exists.
    ipcRenderer.send(MENU_READY);
    return () => ipcRenderer.removeListener(MENU, handler);
  },
};

contextBridge.exposeInMainWorld('signet', bridge);
