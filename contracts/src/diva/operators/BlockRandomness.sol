// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IBlockRandomness} from "../../interfaces/IBlockRandomness.sol";

/// @title BlockRandomness
/// @notice See `IBlockRandomness`. The operator registry's two-step draw takes its seed from here: the `mixHash` of a
/// block is the beacon chain's RANDAO mix after the previous block's reveal, a BLS signature its proposer cannot
/// choose, only withhold (by missing its slot). The block hash, by contrast, commits to everything in the block and
/// can be ground by its proposer, which is why the draw does not use it directly.
/// @dev Deployed by the registry's constructor (its code does not fit in the registry's). Stateless.
contract BlockRandomness is IBlockRandomness {
    /// @dev `mixHash` is field 13 (0-based) of every execution header since the Merge: parentHash, ommersHash,
    /// beneficiary, stateRoot, transactionsRoot, receiptsRoot, logsBloom, difficulty, number, gasLimit, gasUsed,
    /// timestamp, extraData, mixHash, …
    uint256 private constant _MIX_HASH_FIELD = 13;

    /// @inheritdoc IBlockRandomness
    function mixHashOf(bytes calldata blockHeader, uint256 blockNumber) external view override returns (bytes32) {
        bytes32 expected = blockhash(blockNumber);
        if (expected == bytes32(0) || keccak256(blockHeader) != expected) revert UnknownBlockHeader(blockNumber);
        // The header hashes to a real block hash, so it is a well-formed RLP list; calldata slices still revert on
        // any out-of-range read.
        uint256 offset = _payloadOffset(blockHeader);
        for (uint256 i; i < _MIX_HASH_FIELD; ++i) {
            offset = _skipString(blockHeader, offset);
        }
        if (blockHeader.length < offset + 33 || uint8(blockHeader[offset]) != 0xa0) {
            revert MalformedBlockHeader(blockNumber);
        }
        return bytes32(blockHeader[offset + 1:offset + 33]);
    }

    /// @dev Offset of the first item of the header's top-level list (a long list: 0xf8 + length of length).
    function _payloadOffset(bytes calldata rlp) private pure returns (uint256) {
        uint8 prefix = uint8(rlp[0]);
        return prefix > 0xf7 ? 1 + prefix - 0xf7 : 1;
    }

    /// @dev Offset after the string item at `offset` (header fields are strings, never lists).
    function _skipString(bytes calldata rlp, uint256 offset) private pure returns (uint256) {
        uint8 prefix = uint8(rlp[offset]);
        if (prefix < 0x80) return offset + 1;
        if (prefix < 0xb8) return offset + 1 + (prefix - 0x80);
        uint256 lengthOfLength = prefix - 0xb7;
        uint256 length = uint256(bytes32(rlp[offset + 1:offset + 1 + lengthOfLength])) >> (256 - 8 * lengthOfLength);
        return offset + 1 + lengthOfLength + length;
    }
}
