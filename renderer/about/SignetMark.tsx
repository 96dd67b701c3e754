/** The app's mark (the same drawing as build/icon.svg), inline so no asset request is needed. */
export function SignetMark({ size = 48 }: { size?: number }) {
  return (
    <svg viewBox="0 0 512 512" width={size} height={size} aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="signet-mark-bg" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#2f6be0" />
          <stop offset="1" stopColor="#162f6b" />
        </linearGradient>
      </defs>
      <rect x="24" y="24" width="464" height="464" rx="104" fill="url(#signet-mark-bg)" />
      <circle cx="256" cy="256" r="150" fill="none" stroke="#f4f7ff" strokeWidth="30" />
      <rect x="172" y="190" width="168" height="22" rx="11" fill="#ffffff" fillOpacity="0.92" />
      <rect x="172" y="245" width="120" height="22" rx="11" fill="#ffb84d" />
      <circle cx="326" cy="256" r="14" fill="#ffb84d" />
      <rect x="172" y="300" width="144" height="22" rx="11" fill="#ffffff" fillOpacity="0.92" />
    </svg>
  );
}
