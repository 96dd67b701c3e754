/**
 * `signet findings | head` closes the pipe while the command still writes. That is the reader
 * saying "enough", not a failure: end at once with exit code 0 and no stack trace. The exit
 * handlers still release the case lock and remove private snapshots.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw err;
    });
  }
}
