export function FindingsView() {
  return <div className="placeholder" role="status">This view is being built.</div>;
}
