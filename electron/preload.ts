import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DesktopBridge } from './api/desktopHost';

// The only thing the sandboxed renderer gets: the contract's one call channel and a few
// native affordances. No Node, no ipcRenderer, no arbitrary channels.
const bridge: DesktopBridge = {
  call: (method, args) => ipcRenderer.invoke('signet:call', method, args),
  pickFiles: () => ipcRenderer.invoke('signet:pick-files'),
  pickFolder: () => ipcRenderer.invoke('signet:pick-folder'),
  pathForFile: (file) => webUtils.getPathForFile(file),
  onMenu: (listener) => {
    const handler = (_e: Electron.IpcRendererEvent, command: string, arg?: string) => listener(command, arg);
    ipcRenderer.on('signet:menu', handler);
    return () => ipcRenderer.removeListener('signet:menu', handler);
  },
};

contextBridge.exposeInMainWorld('signet', bridge);
