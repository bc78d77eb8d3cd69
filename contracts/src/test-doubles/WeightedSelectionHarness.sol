// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {WeightedSelection} from "../libraries/WeightedSelection.sol";

/// @notice Test harness exposing the WeightedSelection library (tests and benchmarks only, never deployed on a network).
contract WeightedSelectionHarness {
    using WeightedSelection for WeightedSelection.Tree;

    WeightedSelection.Tree private _tree;

    /// @notice Sets many weights at once.
    function setMany(uint256[] calldata indices, uint256[] calldata weights) external {
        for (uint256 i; i < indices.length; ++i) {
            _tree.set(indices[i], weights[i]);
        }
    }

    /// @notice Sets one weight.
    function set(uint256 index, uint256 weight) external {
        _tree.set(index, weight);
    }

    /// @notice The weight of a leaf.
    function weightOf(uint256 index) external view returns (uint256) {
        return _tree.weightOf(index);
    }

    /// @notice The total weight.
    function totalWeight() external view returns (uint256) {
        return _tree.totalWeight();
    }

    /// @notice One draw of `count` distinct leaves.
    function draw(uint256 count, uint256 seed, uint256 minWeight, uint256 maxSkips)
        external
        returns (uint256[] memory picked, uint256[] memory skipped)
    {
        WeightedSelection.Draw memory d = _tree.drawDistinct(count, seed, minWeight, maxSkips);
        _restore(d);
        return (d.picked, d.skipped);
    }

    /// @notice Draws `rounds` times and returns, for leaves `0..leaves-1`, how often each was picked at each position
    /// (`counts[position * leaves + leaf]`).
    function drawMany(uint256 rounds, uint256 count, uint256 seed, uint256 leaves)
        external
        returns (uint256[] memory counts)
    {
        counts = new uint256[](count * leaves);
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        for (uint256 r; r < rounds; ++r) {
            WeightedSelection.Draw memory d = _tree.drawDistinct(count, uint256(keccak256(abi.encode(seed, r))), 1, 0);
            _restore(d);
            for (uint256 p; p < count; ++p) {
                ++counts[p * leaves + d.picked[p]];
            }
            // Release the round's scratch memory so memory expansion stays linear in the number of rounds.
            assembly ("memory-safe") {
                mstore(0x40, freeMemory)
            }
        }
    }

    /// @notice A state-changing draw, so its gas can be measured in a transaction.
    function drawAndRecord(uint256 count, uint256 seed) external {
        WeightedSelection.Draw memory d = _tree.drawDistinct(count, seed, 1, 4);
        // What the operator registry does: each picked leaf keeps its weight minus one unit of lock.
        for (uint256 i; i < d.picked.length; ++i) {
            _tree.set(d.picked[i], d.pickedWeights[i] - 1);
        }
        emit Drawn(d.picked);
    }

    /// @dev Puts the drawn leaves back (skipped leaves are reported by weight below the minimum, which is 1 here, so
    /// they had weight 0 and need nothing).
    function _restore(WeightedSelection.Draw memory d) private {
        for (uint256 i; i < d.picked.length; ++i) {
            _tree.set(d.picked[i], d.pickedWeights[i]);
        }
    }

    /// @notice Emitted by `drawAndRecord`.
    event Drawn(uint256[] picked);
}
