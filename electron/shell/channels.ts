/**
 * The whole IPC surface between the window and the main process. Kept free of imports
 * so the sandboxed preload bundles only these names.
 */
export const IPC_CHANNELS = {
  /** invoke: (method, args) → CallOutcome, through dispatch() and the handler table. */
  call: 'signet:call',
  /** invoke: native multi-select file dialog → string[]. */
  pickFiles: 'signet:pick-files',
  /** invoke: native folder dialog → string | null. */
  pickFolder: 'signet:pick-folder',
  /** main → renderer: menu commands (command, arg?). */
  menu: 'signet:menu',
  /** renderer → main, one-way: the page now listens on the menu channel. */
  menuReady: 'signet:menu-ready',
} as const;
