import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The SDK's errors extend `LodestarError`, the only thing it takes from @lodestar/utils. The package's entry also
// pulls in YAML and WASM SHA-256 code (~60 kB gzipped) a browser never runs: point the import at the one module.
const lodestarErrors = join(dirname(fileURLToPath(import.meta.resolve("@lodestar/utils"))), "errors.js");

// A static build: relative asset paths (`base: "./"`) so it can be hosted under any path next to its `config.json`.
export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: { alias: [{ find: /^@lodestar\/utils$/, replacement: lodestarErrors }] },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
