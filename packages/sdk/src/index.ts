export * from "./browser.ts";
export { loadKeyFile } from "./keyFile.ts";
export { loadManifest, writeManifest } from "./manifest/manifestFile.ts";
