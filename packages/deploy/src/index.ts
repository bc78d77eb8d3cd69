export { type DeployIo, runDeploy } from "./cli.ts";
