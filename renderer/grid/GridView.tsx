export function GridView() {
  return <div className="placeholder" role="status">The grid is being built.</div>;
}
