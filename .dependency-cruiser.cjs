// The dependency check of `npm test` (`npm run depcheck`): the house drawing of imports has floors and no cycles.
//   (a) no import cycle between workspace packages, counting tests, benches and scripts (a package whose tests import a
//       package that imports it back is in a cycle too). Checked in two halves: a package imports only the workspace
//       packages its package.json declares (rule `only-declared-packages`), and the declared graph has no cycle
//       (checked below when this file loads; a cycle fails the run with the path it found);
//   (b) a package imports another only through its name and `exports` entries (`@nektar/sdk`, `@nektar/sdk/testing`),
//       never a relative path into it (`../../sdk/src/…`) nor an unexported file (`@nektar/sdk/src/…`);
//   (c) no circular imports between modules (type-only imports, erased before the code runs, excepted).
// Packages, their dependencies and entries are read from the package.json files: a new package needs no edit here.
const { existsSync, readdirSync, readFileSync } = require("node:fs");
const { join, posix } = require("node:path");

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const readJson = (path) => JSON.parse(readFileSync(join(__dirname, path), "utf8"));

const workspaces = readJson("package.json")
  .workspaces.flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(join(__dirname, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`)
      : [pattern],
  )
  .filter((dir) => existsSync(join(__dirname, dir, "package.json")))
  .map((dir) => ({ dir, manifest: readJson(`${dir}/package.json`) }));
const dirOf = new Map(workspaces.map(({ dir, manifest }) => [manifest.name, dir]));
/** Workspace folders each workspace declares as a dependency of any kind. */
const declared = new Map(
  workspaces.map(({ dir, manifest }) => [
    dir,
    Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies })
      .filter((name) => dirOf.has(name))
      .map((name) => dirOf.get(name)),
  ]),
);

// (a), second half: the declared workspace graph is acyclic (depth-first search for a back edge).
const state = new Map();
const visit = (dir, path) => {
  if (state.get(dir) === "done") return;
  if (state.get(dir) === "open") {
    const cycle = [...path.slice(path.indexOf(dir)), dir].join(" → ");
    throw new Error(`workspace packages depend on each other in a cycle: ${cycle} (package.json dependencies)`);
  }
  state.set(dir, "open");
  for (const dep of declared.get(dir)) visit(dep, [...path, dir]);
  state.set(dir, "done");
};
for (const { dir } of workspaces) visit(dir, []);

/** Files other packages may import: every `exports` target (a `*` target allows its whole subtree). */
const entries = workspaces.flatMap(({ dir, manifest: { exports } }) =>
  (exports === undefined ? [] : typeof exports === "string" ? [exports] : Object.values(exports))
    .flatMap((target) => (typeof target === "string" ? [target] : Object.values(target)))
    .map((target) => `^${escapeRegExp(posix.join(dir, target)).replace("\\*", ".*")}$`),
);
const anyPackage = `(${workspaces.map(({ dir }) => escapeRegExp(dir)).join("|")})`;

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    ...workspaces.map(({ dir }) => ({
      name: "only-declared-packages",
      comment: `${dir} imports only the workspace packages its package.json declares (which form no cycle).`,
      severity: "error",
      from: { path: `^${escapeRegExp(dir)}/` },
      to: {
        path: `^${anyPackage}/`,
        pathNot: [dir, ...declared.get(dir)].map((d) => `^${escapeRegExp(d)}/`),
      },
    })),
    {
      name: "no-package-internals",
      comment: "Import another workspace package by its name and `exports` entries, never by a path into it.",
      severity: "error",
      from: { path: `^${anyPackage}/` },
      to: { path: `^${anyPackage}/`, pathNot: ["^$1/", ...entries] },
    },
    {
      name: "no-unexported-entry",
      comment: "`@nektar/x/<path>` must be one of x's `exports` entries (anything else does not resolve).",
      severity: "error",
      from: {},
      to: { path: "^@nektar/", couldNotResolve: true },
    },
    {
      name: "no-module-cycle",
      comment:
        "Modules import each other without cycles. Type-only imports are erased before the code runs and may close one (crypto's dkg/ceremony.ts ⇄ dkg/qualify.ts does).",
      severity: "error",
      from: {},
      to: {
        circular: true,
        dependencyTypesNot: ["type-only"],
        viaOnly: { dependencyTypesNot: ["type-only"] },
      },
    },
  ],
  options: {
    // Re-reads only the files whose content changed since the last run (about 3x faster when few did).
    cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: { path: "(^|/)(node_modules|artifacts|cache|coverage|generated|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "node", "default"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
