import { type Address, getAddress, type Hex, isAddress } from "viem";
import { LinkBytecodeError } from "./errors.ts";

/** Where a contract's bytecode calls external libraries: source → library → 20-byte slots (Hardhat/solc artifacts). */
export type LinkReferences = Readonly<
  Record<string, Readonly<Record<string, readonly { readonly start: number; readonly length: number }[]>>>
>;

/** Deployed library addresses, by library name (`ClusterDraw`) or fully qualified name (`src/…/ClusterDraw.sol:ClusterDraw`). */
export type LibraryAddresses = Readonly<Record<string, Address>>;

/**
 * Writes the addresses of `libraries` into every placeholder `linkReferences` names in `bytecode` (creation code, as
 * solc leaves it: `__$<34 hex>$__` where a linked library's address goes). Throws `LinkBytecodeError` for a library
 * with no address, an invalid address, a slot outside the bytecode, or a placeholder left unlinked.
 */
export function linkBytecode(bytecode: Hex, linkReferences: LinkReferences, libraries: LibraryAddresses): Hex {
  let code = bytecode.slice(2);
  for (const [source, byName] of Object.entries(linkReferences)) {
    for (const [name, slots] of Object.entries(byName)) {
      const address = libraries[`${source}:${name}`] ?? libraries[name];
      if (address === undefined) throw new LinkBytecodeError(name, `no address given for library ${name} (${source})`);
      if (!isAddress(address, { strict: false })) {
        throw new LinkBytecodeError(name, `library ${name}: ${address} is not an address`);
      }
      const hex = getAddress(address).slice(2).toLowerCase();
      for (const { start, length } of slots) {
        if (length !== 20 || 2 * (start + length) > code.length) {
          throw new LinkBytecodeError(name, `library ${name}: link slot ${start}+${length} is outside the bytecode`);
        }
        code = code.slice(0, 2 * start) + hex + code.slice(2 * (start + length));
      }
    }
  }
  // A placeholder that no reference named means the references belong to other bytecode.
  const left = /__\$[0-9a-fA-F]{34}\$__/.exec(code);
  if (left) throw new LinkBytecodeError(left[0], `bytecode still has the library placeholder ${left[0]}`);
  return `0x${code}`;
}
