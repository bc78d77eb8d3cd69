/**
 * Extra data of every payload the devnet's local builder builds: tells builder blocks from the devnet's local ones on
 * chain. Its own entry point (`@nektar/beacon-devnet/builder-marker`, no Lodestar import) so the devnet's status screen
 * can count builder blocks without loading the beacon chain.
 */
export const BUILDER_EXTRA_DATA = new TextEncoder().encode("nektar devnet builder");
