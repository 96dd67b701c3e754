// The Natural Earth shapes are bundled as text and parsed once (no type inference over
// a 750 kB JSON file, no request at run time).
declare module 'world-atlas/countries-50m.json?raw' {
  const text: string;
  export default text;
}
