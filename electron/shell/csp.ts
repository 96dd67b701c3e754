// One policy for the Electron window and the browser bridge: only the app's own code,
// styles and images; no remote origin of any kind. 'unsafe-inline' styles are needed by
// AG Grid and CodeMirror, which set style attributes; scripts stay strict.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
