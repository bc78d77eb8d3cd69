export { type DeployIo, runDeploy } from "./cli.ts";
export { DeployerKeyFileError, loadDeployerKeyFile } from "./keyFile.ts";
