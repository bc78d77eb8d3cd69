// The devnet runs the minimal preset. Lodestar reads the active preset once, when @lodestar/params is first
// evaluated, so this module must be imported before anything else that imports @lodestar/* (ESM hoists imports:
// src/index.ts and src/cli.ts import it on their first line).
import { PresetName, setActivePreset } from "@lodestar/params/setPreset";

setActivePreset(PresetName.minimal);
