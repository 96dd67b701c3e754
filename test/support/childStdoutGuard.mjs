// A test file's child process reports to the runner as V8-serialized frames on stdout.
// Plain text written there by the code under test (electron-builder's "•" log lines, a
// console.log) can split a frame, and Node 20's runner then fails the whole file with
// "Unable to deserialize cloned data". Frames are Buffers; text is a string: send text
// to stderr, where the runner reports it without parsing.
if (process.env.NODE_TEST_CONTEXT === 'child-v8') {
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk, ...rest) => (typeof chunk === 'string' ? stderrWrite(chunk, ...rest) : stdoutWrite(chunk, ...rest));
}
