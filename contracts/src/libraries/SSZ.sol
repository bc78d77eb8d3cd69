// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title SSZ
/// @notice The few SSZ merkleization steps the beacon-chain libraries need, hashed with the SHA-256 precompile:
/// single-leaf Merkle proofs by generalized index, little-endian `uint64` chunks and the root of a 48-byte BLS public key.
/// @dev A generalized index `g` names a node of a binary Merkle tree: the root is 1 and the children of `g` are `2g`
/// and `2g + 1`; a leaf at depth `d` has `2^d <= g < 2^(d+1)`, and bit `i` of `g` (from the bottom) says whether the
/// node at height `i` on the path is a right child (1) or a left child (0). Proofs are sibling hashes bottom-up, the
/// order of the Beacon API and of Lodestar's `getSingleProof`.
library SSZ {
    /// @notice A proof has `length` sibling hashes where the generalized index needs `expected` (its depth).
    error InvalidProofLength(uint256 length, uint256 expected);
    /// @notice A BLS public key is not 48 bytes long.
    error InvalidPubkeyLength(uint256 length);
    /// @notice The SHA-256 precompile failed (it only does when it runs out of gas): retry with more gas.
    error Sha256Failed();

    /// @notice The root obtained by hashing `leaf` up with `proof` along generalized index `gindex`.
    /// @dev Reverts with `InvalidProofLength` unless `proof.length` is exactly the depth of `gindex`, so a proof can
    /// neither stop below nor run past the root it is compared with.
    function processProof(bytes32 leaf, bytes32[] calldata proof, uint256 gindex) internal view returns (bytes32 root) {
        uint256 length = proof.length;
        if (length > 255 || gindex >> length != 1) revert InvalidProofLength(length, depthOf(gindex));
        bool ok = true;
        assembly ("memory-safe") {
            root := leaf
            let end := add(proof.offset, shl(5, length))
            for { let p := proof.offset } lt(p, end) { p := add(p, 0x20) } {
                // A set bit means this node is a right child: its sibling goes first.
                switch and(gindex, 1)
                case 0 {
                    mstore(0x00, root)
                    mstore(0x20, calldataload(p))
                }
                default {
                    mstore(0x00, calldataload(p))
                    mstore(0x20, root)
                }
                ok := and(ok, staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20))
                root := mload(0x00)
                gindex := shr(1, gindex)
            }
        }
        if (!ok) revert Sha256Failed();
    }

    /// @notice SHA-256 of `left ‖ right`: one inner node of an SSZ Merkle tree.
    function hashPair(bytes32 left, bytes32 right) internal view returns (bytes32 node) {
        bool ok;
        assembly ("memory-safe") {
            mstore(0x00, left)
            mstore(0x20, right)
            ok := staticcall(gas(), 0x02, 0x00, 0x40, 0x00, 0x20)
            node := mload(0x00)
        }
        if (!ok) revert Sha256Failed();
    }

    /// @notice `hash_tree_root` of a 48-byte BLS public key (`Bytes48`: two chunks, the second zero-padded).
    function pubkeyRoot(bytes memory pubkey) internal view returns (bytes32 root) {
        if (pubkey.length != 48) revert InvalidPubkeyLength(pubkey.length);
        bytes32 first;
        bytes32 second;
        assembly ("memory-safe") {
            first := mload(add(pubkey, 0x20))
            // Keep bytes 32..47 only: the word read past the key's end is not part of it.
            second := and(mload(add(pubkey, 0x40)), not(sub(shl(128, 1), 1)))
        }
        root = hashPair(first, second);
    }

    /// @notice The SSZ chunk of a `uint64`: its 8 little-endian bytes followed by 24 zero bytes.
    function toLittleEndian64(uint64 value) internal pure returns (bytes32 chunk) {
        return bytes32(uint256(reverse64(value)) << 192);
    }

    /// @notice The `uint64` stored little-endian at byte `8 * slot` of `chunk` (`slot` in 0..3: SSZ packs four
    /// `uint64` values per chunk, e.g. the beacon state's `balances`).
    function uint64At(bytes32 chunk, uint256 slot) internal pure returns (uint64 value) {
        return reverse64(uint64(uint256(chunk) >> (192 - 64 * (slot & 3))));
    }

    /// @notice The depth of generalized index `gindex` (floor(log2(gindex)); 0 for 0 and 1).
    function depthOf(uint256 gindex) internal pure returns (uint256 depth) {
        while (gindex > 1) {
            gindex >>= 1;
            ++depth;
        }
    }

    /// @dev Reverses the byte order of a 64-bit value (big-endian ⇄ little-endian).
    function reverse64(uint64 value) private pure returns (uint64) {
        uint256 v = value;
        v = ((v & 0xFF00FF00FF00FF00) >> 8) | ((v & 0x00FF00FF00FF00FF) << 8);
        v = ((v & 0xFFFF0000FFFF0000) >> 16) | ((v & 0x0000FFFF0000FFFF) << 16);
        v = (v >> 32) | ((v & 0xFFFFFFFF) << 32);
        return uint64(v);
    }
}
