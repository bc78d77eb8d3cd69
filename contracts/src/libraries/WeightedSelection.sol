// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title WeightedSelection
/// @notice A packed 8-ary sum tree over up to 32,768 non-negative weights, for drawing distinct entries with
/// probability proportional to their weight in O(log n) storage reads per draw.
/// @dev Layout: level 0 packs the leaf weights, eight 32-bit lanes per storage slot (leaf `i` lives in slot `i >> 3`,
/// lane `i & 7`). Each higher level packs, per slot, the sums of eight slots of the level below, so lane `j` of slot `s`
/// at level `k` holds the total weight of leaves `[(8s + j) * 8^k, (8s + j + 1) * 8^k)`. Level 4 has a single slot whose
/// lane sum is the total weight. The total is capped at `MAX_TOTAL_WEIGHT` (2^32 - 1), which bounds every lane, so no
/// lane can overflow into its neighbour.
///
/// One draw reads 5 slots and one update writes 5 slots, whatever the number of entries. Compared with a binary Fenwick
/// tree over 10,000 entries (14 levels, one slot per node), this reads and writes roughly three times fewer slots.
library WeightedSelection {
    /// @notice Number of leaves the tree can hold.
    uint256 internal constant CAPACITY = 32_768;
    /// @notice Maximum total weight (and so maximum single weight) the tree accepts.
    uint256 internal constant MAX_TOTAL_WEIGHT = type(uint32).max;

    uint256 private constant _LEVELS = 5;
    uint256 private constant _LANE_BITS = 32;
    uint256 private constant _LANE_MASK = 0xffffffff;

    /// @notice The leaf index is not below `CAPACITY`.
    error LeafOutOfRange(uint256 index, uint256 capacity);
    /// @notice The update would make the total weight exceed `MAX_TOTAL_WEIGHT`.
    error TotalWeightOverflow(uint256 total, uint256 max);
    /// @notice Fewer than `wanted` entries with at least the minimum weight exist.
    error NotEnoughCandidates(uint256 found, uint256 wanted);

    /// @notice The tree's storage: packed lanes keyed by `(level << 32) | slotIndex`.
    struct Tree {
        mapping(uint256 key => uint256 packedLanes) slots;
    }

    /// @notice The result of a draw.
    /// @param picked Leaves drawn, in draw order; each had weight ≥ the minimum.
    /// @param pickedWeights The weight each picked leaf had before the draw.
    /// @param skipped Leaves drawn whose weight was below the minimum.
    /// @param skippedWeights The weight each skipped leaf had before the draw.
    struct Draw {
        uint256[] picked;
        uint256[] pickedWeights;
        uint256[] skipped;
        uint256[] skippedWeights;
    }

    /// @notice Sets the weight of leaf `index` to `weight`.
    function set(Tree storage tree, uint256 index, uint256 weight) internal {
        if (index >= CAPACITY) revert LeafOutOfRange(index, CAPACITY);
        uint256 old = _lane(tree.slots[index >> 3], index & 7);
        if (old == weight) return;
        if (weight > old) {
            uint256 newTotal = totalWeight(tree) + (weight - old);
            if (newTotal > MAX_TOTAL_WEIGHT) revert TotalWeightOverflow(newTotal, MAX_TOTAL_WEIGHT);
        }
        // All arithmetic below is on small indices (< 2^15, levels < 5) and on lanes: every lane is a sum of leaves that
        // includes `old`, so `lane - old` cannot underflow, and `lane - old + weight` is at most the new total, which was
        // checked against the 32-bit maximum above — the lane cannot spill into its neighbour.
        unchecked {
            for (uint256 level; level < _LEVELS; ++level) {
                uint256 key = (level << 32) | (index >> (3 * level + 3));
                uint256 shift = ((index >> (3 * level)) & 7) << 5;
                uint256 word = tree.slots[key];
                uint256 lane = ((word >> shift) & _LANE_MASK) - old + weight;
                tree.slots[key] = (word & ~(_LANE_MASK << shift)) | (lane << shift);
            }
        }
    }

    /// @notice The weight of leaf `index`.
    function weightOf(Tree storage tree, uint256 index) internal view returns (uint256) {
        if (index >= CAPACITY) revert LeafOutOfRange(index, CAPACITY);
        return _lane(tree.slots[index >> 3], index & 7);
    }

    /// @notice The sum of all weights.
    function totalWeight(Tree storage tree) internal view returns (uint256 total) {
        uint256 word = tree.slots[(_LEVELS - 1) << 32];
        // Eight lanes of at most 2^32 - 1 each: the sum fits easily.
        unchecked {
            for (uint256 shift; shift < 256; shift += _LANE_BITS) {
                total += (word >> shift) & _LANE_MASK;
            }
        }
    }

    /// @notice Draws `count` distinct leaves, each draw with probability proportional to weight among the leaves not
    /// yet drawn. Leaves drawn with weight below `minWeight` are set aside (reported in `skipped`) and the draw goes on.
    /// Reverts with `NotEnoughCandidates` when fewer than `count` leaves qualify within `maxSkips` set-asides.
    /// @dev Every drawn leaf (picked or skipped) is left with weight 0 in storage; the caller MUST then `set` each of
    /// them to its new weight (for the operator registry: the free bond left after locking, or its old weight for a
    /// skipped leaf). This order is deliberate: under EIP-2200 a slot written back to its original value becomes
    /// "clean" and the next write pays the full price again, so restoring here and updating in the caller would double
    /// the storage cost.
    /// @param seed Randomness; draw `i` uses `keccak256(seed, i)`.
    /// @param maxSkips How many under-weight leaves may be set aside before giving up (bounds the gas).
    function drawDistinct(Tree storage tree, uint256 count, uint256 seed, uint256 minWeight, uint256 maxSkips)
        internal
        returns (Draw memory result)
    {
        uint256 found;
        (result, found) = tryDrawDistinct(tree, count, seed, minWeight, maxSkips);
        if (found < count) revert NotEnoughCandidates(found, count);
    }

    /// @notice Like `drawDistinct`, but instead of reverting when too few leaves qualify it stops and returns how many
    /// it found (`found < count`, with `picked` shortened to `found`), so the caller can revert with its own error.
    /// @dev On an incomplete draw the drawn leaves are still zeroed in storage: the caller is expected to revert.
    function tryDrawDistinct(Tree storage tree, uint256 count, uint256 seed, uint256 minWeight, uint256 maxSkips)
        internal
        returns (Draw memory result, uint256 found)
    {
        result.picked = new uint256[](count);
        result.pickedWeights = new uint256[](count);
        result.skipped = new uint256[](maxSkips);
        result.skippedWeights = new uint256[](maxSkips);
        uint256 available = totalWeight(tree);
        uint256 nDrawn;
        uint256 nSkipped;
        while (found < count && available != 0) {
            uint256 leaf = _find(tree, uint256(keccak256(abi.encode(seed, nDrawn))) % available);
            uint256 weight = weightOf(tree, leaf);
            set(tree, leaf, 0);
            // `weight` is part of `available` (the tree total), so this cannot underflow; nDrawn ≤ count + maxSkips.
            unchecked {
                available -= weight;
                ++nDrawn;
            }
            if (weight >= minWeight) {
                result.picked[found] = leaf;
                result.pickedWeights[found] = weight;
                ++found;
            } else {
                if (nSkipped == maxSkips) break;
                result.skipped[nSkipped] = leaf;
                result.skippedWeights[nSkipped] = weight;
                ++nSkipped;
            }
        }
        uint256[] memory picked = result.picked;
        uint256[] memory pickedWeights = result.pickedWeights;
        uint256[] memory skipped = result.skipped;
        uint256[] memory skippedWeights = result.skippedWeights;
        // Shrink the arrays to the number actually filled; the memory after them is simply abandoned.
        assembly ("memory-safe") {
            mstore(picked, found)
            mstore(pickedWeights, found)
            mstore(skipped, nSkipped)
            mstore(skippedWeights, nSkipped)
        }
    }

    /// @dev Walks from the top slot to the leaf whose cumulative weight range contains `target` (< total weight).
    function _find(Tree storage tree, uint256 target) private view returns (uint256 slot) {
        // Indices stay below 2^15 and `target` is only decreased by lanes it is at least as large as.
        unchecked {
            for (uint256 level = _LEVELS; level > 0;) {
                --level;
                uint256 word = tree.slots[(level << 32) | slot];
                uint256 lane;
                for (; lane < 8; ++lane) {
                    uint256 laneWeight = (word >> (lane << 5)) & _LANE_MASK;
                    if (target < laneWeight) break;
                    target -= laneWeight;
                }
                // `target` is below the total weight under `slot`, so some lane is always found.
                assert(lane < 8);
                slot = (slot << 3) | lane;
            }
        }
    }

    function _lane(uint256 word, uint256 lane) private pure returns (uint256) {
        return (word >> (lane << 5)) & _LANE_MASK;
    }
}
