// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title WeightedSelection
/// @notice A packed 8-ary sum tree over up to 32,768 non-negative weights, for drawing distinct entries with
/// probability proportional to their weight in O(log n) storage reads per draw.
/// @dev Layout: level 0 packs the leaf weights, eight 32-bit lanes per storage slot (leaf `i` lives in slot `i >> 3`,
/// lane `i & 7`). Each higher level packs, per slot, the sums of eight slots of the level below, so lane `j` of slot `s`
/// at level `k` holds the total weight of leaves `[(8s + j) * 8^k, (8s + j + 1) * 8^k)`. Level 4 has a single slot whose
/// lane sum is the total weight. The total is capped at `MAX_TOTAL_WEIGHT` (2^32 - 1), which bounds every lane, so no
/// lane can overflow into its neighbour — which also lets an update add or subtract `delta << shift` on the whole word.
///
/// Storage: the word of key `(level << 32) | slotIndex` lives at `keccak256(tree.slot) + key`, the scheme Solidity uses
/// for the data of a dynamic array, so an access costs an addition instead of a hash per slot (the region spans less
/// than 2^35 slots from a keccak-derived base, so it cannot meet other storage).
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
    uint256 private constant _TOP_KEY = (_LEVELS - 1) << 32;

    /// @notice The leaf index is not below `CAPACITY`.
    error LeafOutOfRange(uint256 index, uint256 capacity);
    /// @notice The update would make the total weight exceed `MAX_TOTAL_WEIGHT`.
    error TotalWeightOverflow(uint256 total, uint256 max);
    /// @notice Fewer than `wanted` entries with at least the minimum weight exist.
    error NotEnoughCandidates(uint256 found, uint256 wanted);

    /// @notice The tree's storage anchor: its slot only seeds the base of the packed words (see the layout above).
    struct Tree {
        uint256 anchor;
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
        uint256 base = _base(tree);
        uint256 old = _lane(_load(base, index >> 3), index & 7);
        if (weight > old) {
            uint256 newTotal = _total(_load(base, _TOP_KEY)) + (weight - old);
            if (newTotal > MAX_TOTAL_WEIGHT) revert TotalWeightOverflow(newTotal, MAX_TOTAL_WEIGHT);
            _add(base, index, weight - old);
        } else if (weight < old) {
            _sub(base, index, old - weight);
        }
    }

    /// @notice Gives back `weight` to leaf `index`, which a draw just took it from (`drawDistinct` leaves drawn leaves
    /// at 0); cheaper than `set` because the total cannot exceed what it was before the draw.
    /// @dev The caller MUST only give back at most the weight the draw removed from that leaf.
    function reinsert(Tree storage tree, uint256 index, uint256 weight) internal {
        if (weight != 0) _add(_base(tree), index, weight);
    }

    /// @notice The weight of leaf `index`.
    function weightOf(Tree storage tree, uint256 index) internal view returns (uint256) {
        if (index >= CAPACITY) revert LeafOutOfRange(index, CAPACITY);
        return _lane(_load(_base(tree), index >> 3), index & 7);
    }

    /// @notice The sum of all weights.
    function totalWeight(Tree storage tree) internal view returns (uint256) {
        return _total(_load(_base(tree), _TOP_KEY));
    }

    /// @notice Draws `count` distinct leaves, each draw with probability proportional to weight among the leaves not
    /// yet drawn. Leaves drawn with weight below `minWeight` are set aside (reported in `skipped`) and the draw goes on.
    /// Reverts with `NotEnoughCandidates` when fewer than `count` leaves qualify within `maxSkips` set-asides.
    /// @dev Every drawn leaf (picked or skipped) is left with weight 0 in storage; the caller MUST then `reinsert` each
    /// of them to its new weight (for the operator registry: the free bond left after locking, or its old weight for a
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
        uint256 base = _base(tree);
        uint256 available = _total(_load(base, _TOP_KEY));
        uint256 nDrawn;
        uint256 nSkipped;
        while (found < count && available != 0) {
            uint256 random;
            assembly ("memory-safe") {
                mstore(0x00, seed)
                mstore(0x20, nDrawn)
                random := keccak256(0x00, 0x40)
            }
            (uint256 leaf, uint256 weight) = _find(base, random % available);
            _sub(base, leaf, weight);
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

    /// @notice Draws `count` distinct leaves with weight ≥ `deduct`, each draw with probability proportional to weight
    /// among the eligible leaves not yet drawn, and takes `deduct` off each picked leaf in the same write.
    /// @dev Distinctness by rejection: a picked leaf keeps its residual weight in the tree, so a later draw may land on
    /// it; that draw is rejected and the residual is taken out too (put back at the end), so each picked leaf causes at
    /// most one rejection. Landing on a leaf is then exactly as likely as in successive sampling without replacement.
    /// Leaves below `deduct` are set aside (at most `maxSkips`) and put back at the end. Compared with `drawDistinct`
    /// followed by `reinsert`, a picked leaf's path is written once instead of twice. Returns `found < count` (and
    /// leaves the tree inconsistent, so the caller must revert) when too few leaves qualify.
    /// @param seed Randomness; draw `i` uses `keccak256(seed, i)`.
    /// @return picked The picked leaves, in draw order (length `found`).
    /// @return found How many leaves were picked.
    function drawDistinctAndDeduct(Tree storage tree, uint256 count, uint256 seed, uint256 deduct, uint256 maxSkips)
        internal
        returns (uint256[] memory picked, uint256 found)
    {
        picked = new uint256[](count);
        found = drawMoreAndDeduct(tree, picked, 0, seed, deduct, maxSkips);
    }

    /// @notice `drawDistinctAndDeduct` that continues a draw: `picked[0..found)` are already chosen (never drawn
    /// again, nothing deducted from them) and the rest of `picked` is filled.
    /// @param tree The tree.
    /// @param picked The picks so far, in an array of the final count; filled in place, its length set to the picks
    /// found.
    /// @param found How many of `picked` are already chosen.
    /// @param seed Randomness.
    /// @param deduct Weight taken from each new pick (also the minimum weight of a pick).
    /// @param maxSkips Under-weight leaves set aside before giving up.
    /// @return Picks found, the pre-chosen included.
    function drawMoreAndDeduct(
        Tree storage tree,
        uint256[] memory picked,
        uint256 found,
        uint256 seed,
        uint256 deduct,
        uint256 maxSkips
    ) internal returns (uint256) {
        return _drawMore(_base(tree), picked, found, seed, deduct, maxSkips);
    }

    function _drawMore(
        uint256 base,
        uint256[] memory picked,
        uint256 found,
        uint256 seed,
        uint256 deduct,
        uint256 maxSkips
    ) private returns (uint256) {
        // Leaves taken out whole during the draw (set aside or rejected), packed as `leaf | weight << 16`, to put back.
        uint256[] memory out = new uint256[](maxSkips + picked.length);
        uint256 nOut;
        uint256 available = _total(_load(base, _TOP_KEY));
        // Every iteration removes weight or stops: at most count picks, count rejections and maxSkips set-asides.
        for (uint256 nDrawn; found < picked.length && available != 0; ++nDrawn) {
            (uint256 leaf, uint256 weight) = _find(base, _random(seed, nDrawn) % available);
            if (_contains(picked, found, leaf)) {
                // A picked leaf's residual: reject the draw and take the residual out until the end.
            } else if (weight >= deduct) {
                _sub(base, leaf, deduct);
                picked[found] = leaf;
                // Safe: `deduct` ≤ weight ≤ available.
                unchecked {
                    available -= deduct;
                    ++found;
                }
                continue;
            } else if (nOut - _rejections(out, nOut, picked, found) == maxSkips) {
                break;
            }
            _sub(base, leaf, weight);
            out[nOut] = leaf | (weight << 16);
            // Safe: `weight` is part of `available`; nOut < maxSkips + count (one rejection per picked leaf).
            unchecked {
                available -= weight;
                ++nOut;
            }
        }
        for (uint256 i; i < nOut; ++i) {
            _add(base, out[i] & 0xffff, out[i] >> 16);
        }
        assembly ("memory-safe") {
            mstore(picked, found)
        }
        return found;
    }

    function _random(uint256 seed, uint256 nonce) private pure returns (uint256 random) {
        assembly ("memory-safe") {
            mstore(0x00, seed)
            mstore(0x20, nonce)
            random := keccak256(0x00, 0x40)
        }
    }

    function _contains(uint256[] memory values, uint256 length, uint256 value) private pure returns (bool) {
        for (uint256 i; i < length; ++i) {
            if (values[i] == value) return true;
        }
        return false;
    }

    /// @dev How many of the taken-out leaves are picked leaves (rejections rather than set-asides).
    function _rejections(uint256[] memory out, uint256 nOut, uint256[] memory picked, uint256 found)
        private
        pure
        returns (uint256 n)
    {
        for (uint256 i; i < nOut; ++i) {
            if (_contains(picked, found, out[i] & 0xffff)) ++n;
        }
    }

    /// @dev Walks from the top slot to the leaf whose cumulative weight range contains `target` (< total weight);
    /// returns the leaf and its weight.
    function _find(uint256 base, uint256 target) private view returns (uint256 index, uint256 weight) {
        // Indices stay below 2^15 and `target` is only decreased by lanes it is at least as large as; `target` is
        // below the total weight under the current slot, so some lane is always found (checked below).
        uint256 lanesLeft = 8;
        assembly ("memory-safe") {
            for { let level := 5 } gt(level, 0) {} {
                level := sub(level, 1)
                let word := sload(add(base, or(shl(32, level), index)))
                let lane := 0
                for {} lt(lane, 8) { lane := add(lane, 1) } {
                    weight := and(word, 0xffffffff)
                    if lt(target, weight) { break }
                    target := sub(target, weight)
                    word := shr(32, word)
                }
                lanesLeft := sub(8, lane)
                if iszero(lanesLeft) { level := 0 }
                index := or(shl(3, index), lane)
            }
        }
        assert(lanesLeft != 0);
    }

    /// @dev Adds `delta` to leaf `index` and its ancestors. The caller guarantees the total stays ≤ 2^32 - 1, so no
    /// lane can carry into its neighbour and adding `delta << shift` to the whole word is exact.
    function _add(uint256 base, uint256 index, uint256 delta) private {
        unchecked {
            for (uint256 level; level < _LEVELS; ++level) {
                uint256 slot = base + ((level << 32) | (index >> (3 * level + 3)));
                uint256 shift = ((index >> (3 * level)) & 7) << 5;
                assembly ("memory-safe") {
                    sstore(slot, add(sload(slot), shl(shift, delta)))
                }
            }
        }
    }

    /// @dev Subtracts `delta` from leaf `index` and its ancestors. Every lane on the path includes the leaf's weight,
    /// which is at least `delta`, so no lane borrows from its neighbour.
    function _sub(uint256 base, uint256 index, uint256 delta) private {
        unchecked {
            for (uint256 level; level < _LEVELS; ++level) {
                uint256 slot = base + ((level << 32) | (index >> (3 * level + 3)));
                uint256 shift = ((index >> (3 * level)) & 7) << 5;
                assembly ("memory-safe") {
                    sstore(slot, sub(sload(slot), shl(shift, delta)))
                }
            }
        }
    }

    function _base(Tree storage tree) private pure returns (uint256 base) {
        assembly ("memory-safe") {
            mstore(0x00, tree.slot)
            base := keccak256(0x00, 0x20)
        }
    }

    function _load(uint256 base, uint256 key) private view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(add(base, key))
        }
    }

    function _total(uint256 word) private pure returns (uint256 total) {
        // Eight lanes of at most 2^32 - 1 each: the sum fits easily.
        unchecked {
            for (uint256 shift; shift < 256; shift += _LANE_BITS) {
                total += (word >> shift) & _LANE_MASK;
            }
        }
    }

    function _lane(uint256 word, uint256 lane) private pure returns (uint256) {
        return (word >> (lane << 5)) & _LANE_MASK;
    }
}
