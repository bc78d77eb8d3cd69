import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { NetworkModuleError } from "./errors.ts";
import type { NetworkModuleDefinition } from "./interfaces.ts";

/** Imports a module package (or a file path) and checks that its default export is a module definition. */
export async function loadModuleDefinition(specifier: string, cwd = process.cwd()): Promise<NetworkModuleDefinition> {
  const target =
    specifier.startsWith(".") || isAbsolute(specifier) ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let imported: { default?: unknown };
  try {
    imported = await import(target);
  } catch (e) {
    throw new NetworkModuleError({
      code: "ERR_NETWORK_MODULE_INVALID",
      module: specifier,
      reason: `cannot import: ${(e as Error).message}`,
    });
  }
  const d = imported.default as Partial<NetworkModuleDefinition> | undefined;
  if (typeof d?.name !== "string" || typeof d.create !== "function" || typeof d.description !== "string") {
    throw new NetworkModuleError({
      code: "ERR_NETWORK_MODULE_INVALID",
      module: specifier,
      reason: "its default export is not a NetworkModuleDefinition ({ name, description, create })",
    });
  }
  return d as NetworkModuleDefinition;
}
