import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "../logger/logger.ts";

/** How an error escaped a module: a thrown exception nobody caught, or a rejected promise nobody handled. */
export type ModuleFaultKind = "uncaught_exception" | "unhandled_rejection";

/** The async context a module's code runs in: which module, and how to disable it when it fails in the background. */
export type ModuleScope = {
  readonly module: string;
  fail(kind: ModuleFaultKind, error: unknown): void;
};

/**
 * The store the host enters (`moduleScopes.run(scope, …)`) around a module's `create`, every handler call and every
 * callback it hands the module. Timers, promises and async functions the module starts inherit it, so an error that
 * escapes them later is still known to be the module's.
 */
export const moduleScopes = new AsyncLocalStorage<ModuleScope>();

/** The module whose code is running now, if any. */
export function currentModuleScope(): ModuleScope | undefined {
  return moduleScopes.getStore();
}

let installed: (() => void) | undefined;

/**
 * Installs the process's `uncaughtException`/`unhandledRejection` handlers (once; a second call returns the first
 * uninstaller). An error raised in a module's async context disables that module (`ModuleScope.fail`) and the process
 * carries on with its validator duties. Any other error keeps Node's rule: it is logged as fatal and the process exits
 * with code 1 — the duty pipeline's own crashes are never swallowed.
 */
export function installModuleFaultHandlers(logger: Logger, exit: (code: number) => void = process.exit): () => void {
  if (installed !== undefined) return installed;
  const onFault = (kind: ModuleFaultKind, error: unknown) => {
    const scope = moduleScopes.getStore();
    if (scope !== undefined) {
      scope.fail(kind, error);
      return;
    }
    logger.error("Uncaught error outside any Network module; exiting", { kind }, error);
    exit(1);
  };
  const onException = (error: Error) => onFault("uncaught_exception", error);
  const onRejection = (reason: unknown) => onFault("unhandled_rejection", reason);
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  installed = () => {
    process.off("uncaughtException", onException);
    process.off("unhandledRejection", onRejection);
    installed = undefined;
  };
  return installed;
}
