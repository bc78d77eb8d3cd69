// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IBlockRandomness
/// @notice Reads the beacon chain's RANDAO output that a past execution block carries (`mixHash`, which
/// `block.prevrandao` exposes only for the current block) from the block's RLP header, checked against `blockhash`.
interface IBlockRandomness {
    /// @notice The header does not hash to `blockhash(blockNumber)` (wrong header, or the block is not among the last
    /// 256 blocks).
    /// @param blockNumber The block whose header was expected.
    error UnknownBlockHeader(uint256 blockNumber);
    /// @notice The header hashes correctly but its 14th field is not a 32-byte string.
    /// @param blockNumber The block.
    error MalformedBlockHeader(uint256 blockNumber);

    /// @notice The `mixHash` (the RANDAO mix the beacon chain gave the block, `prevrandao`) of block `blockNumber`.
    /// @param blockHeader The RLP-encoded execution header of that block (`keccak256` of it is its block hash).
    /// @param blockNumber The block; must be one of the last 256 blocks before the current one.
    /// @return mixHash The block's RANDAO mix.
    function mixHashOf(bytes calldata blockHeader, uint256 blockNumber) external view returns (bytes32 mixHash);
}
