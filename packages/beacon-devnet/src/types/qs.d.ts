// Minimal typing of the one `qs` function the API server uses (no @types/qs in the mirror's lockfile).
declare module "qs" {
  export function parse(str: string, options?: { comma?: boolean; parseArrays?: boolean }): Record<string, unknown>;
  const qs: { parse: typeof parse };
  export default qs;
}
