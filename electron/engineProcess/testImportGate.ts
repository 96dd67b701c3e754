import { access } from 'node:fs/promises';

/**
 * Under the test runner only (SIGNET_TEST=1), SIGNET_TEST_IMPORT_GATE names a file that
 * the engine process waits for before it reads the second and later files of an import.
 * End-to-end tests of `serve FILE…` use it to see an import's progress at a known point
 * (one file read, the next not yet) however quick the machine is. Ignored otherwise.
 */
export function testImportGate(env: NodeJS.ProcessEnv): ((path: string, index: number) => Promise<void>) | undefined {
  const gate = env.SIGNET_TEST === '1' ? env.SIGNET_TEST_IMPORT_GATE : undefined;
  if (!gate) return undefined;
  return async (_path, index) => {
    if (index === 0) return;
    for (;;) {
      if (await access(gate).then(() => true, () => false)) return;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  };
}
