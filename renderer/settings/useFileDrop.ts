import { useEffect, useState } from 'react';
import { api, desktop } from '../api/client';

export interface DropTargets {
  onOpenPaths(paths: string[]): void;
  onOpenCase(dir: string): void;
  onError(message: string): void;
}

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

/**
 * Files and folders dropped anywhere on the desktop window: folders contribute the
 * exports inside them, a case folder opens as a case, and anything unusable is named in
 * the error banner. A browser gives pages no paths for dropped files, so browser mode
 * says so instead of letting the browser navigate away to the dropped file.
 */
export function useFileDrop(targets: DropTargets): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const bridge = desktop;
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const overHandler = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      if (!bridge) {
        targets.onError('In browser mode dropped files cannot be opened (the browser does not reveal their location). Use Open files… instead.');
        return;
      }
      const paths = [...(e.dataTransfer?.files ?? [])].map((f) => bridge.pathForFile(f)).filter(Boolean);
      if (!paths.length) return;
      api
        .resolveOpenPaths({ paths })
        .then((r) => {
          if (r.cases[0]) targets.onOpenCase(r.cases[0]);
          else if (r.files.length) targets.onOpenPaths(r.files);
          const problems = [...r.problems, ...(r.cases.length && r.files.length ? ['Files dropped together with a case were not imported; drop them on the open case.'] : [])];
          if (problems.length) targets.onError(problems.join('\n'));
        })
        .catch((err: unknown) => targets.onError(err instanceof Error ? err.message : String(err)));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, [targets]);
  return over;
}
