export function TimelineView() {
  return <div className="placeholder" role="status">This view is being built.</div>;
}
