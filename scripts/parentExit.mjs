// npm runs a script through a shell (`sh -c ...`). On SIGTERM npm passes the signal to that
// shell, which dies without passing it on, and npm exits: the script is left running with
// no parent. This notices the orphaning, so `kill <npm pid>` stops what `npm start` and
// `npm run serve` started (Ctrl+C reaches the whole process group and needs no help).
const POLL_MS = 300;

/** Calls `then` once when this process's parent is gone. */
export function onParentExit(then) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    then();
  }, POLL_MS);
  timer.unref();
}
