// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IOperatorRegistry} from "../../interfaces/IOperatorRegistry.sol";
import {WeightedSelection} from "../../libraries/WeightedSelection.sol";

/// @title ClusterDraw
/// @notice The operator registry's weighted draws over its selection tree: a whole cluster of 16 distinct operators,
/// or replacements for some seats of a drawn cluster (excluding all its current members), each pick locking a bond
/// on the picked operator's lane. The registry seeds both with a later block's RANDAO mix (`BlockRandomness`).
/// @dev An external library: deployed once, linked into the registry (its address is written into the registry's
/// code at deployment, so it cannot change) and run by `DELEGATECALL` on the registry's tree. Its code lives outside
/// the registry's 24,576 bytes. It also fixes the packing of a cluster word (`ValidatorBook` takes its constants
/// from here): operator `i`'s id in bits `[15i, 15i + 15)`, the lock per operator in bond units from bit 240.
library ClusterDraw {
    using WeightedSelection for WeightedSelection.Tree;

    /// @notice Operators per distributed validator.
    uint256 internal constant CLUSTER_SIZE = 16;
    /// @notice Bits of one operator id in a cluster word (ids stay below the tree capacity of 2^15).
    uint256 internal constant ID_BITS = 15;
    /// @notice Bit offset of the lock per operator in a cluster word.
    uint256 internal constant LOCK_SHIFT = ID_BITS * CLUSTER_SIZE;
    /// @notice Under-bonded operators a draw may set aside before it gives up.
    uint256 internal constant MAX_SKIPS = 16;

    uint256 private constant _ID_MASK = (1 << ID_BITS) - 1;

    /// @notice Draws 16 distinct operators with at least `lockUnits` free units, proportionally to free units, and
    /// locks `lockUnits` on each: their lanes end at `free - lockUnits`, set-aside operators get their lanes back.
    /// @dev Reverts `NotEnoughEligibleOperators` if fewer than 16 qualify within `MAX_SKIPS` set-asides.
    /// @param tree The registry's selection tree (lanes = free bond units of drawable operators).
    /// @param seed The draw's randomness.
    /// @param lockUnits Bond units locked per picked operator.
    /// @return packed The cluster word.
    /// @return picked The 16 picks, in draw order.
    function drawCluster(WeightedSelection.Tree storage tree, uint256 seed, uint256 lockUnits)
        external
        returns (uint256 packed, uint256[] memory picked)
    {
        uint256 found;
        (picked, found) = tree.drawDistinctAndDeduct(CLUSTER_SIZE, seed, lockUnits, MAX_SKIPS);
        if (found < CLUSTER_SIZE) revert IOperatorRegistry.NotEnoughEligibleOperators(found, CLUSTER_SIZE);
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            // Leaves are below the tree capacity of 2^15, so each id fits its 15 bits.
            packed |= picked[i] << (ID_BITS * i);
        }
        packed |= lockUnits << LOCK_SHIFT;
    }

    /// @notice Draws an operator for each seat of `seats` in `cluster`, excluding all 16 current members (those that
    /// stay and those that lose their seat), and locks `lockUnits` on each.
    /// @dev Reverts `NotEnoughEligibleOperators` if too few qualify.
    /// @param tree The registry's selection tree.
    /// @param seed The draw's randomness.
    /// @param cluster The current cluster word (its lock bits are kept).
    /// @param lockUnits Bond units locked per new pick.
    /// @param seats Bitmap of the positions to redraw.
    /// @return packed The cluster word with the new members in those positions.
    /// @return picked The new members, by increasing position.
    function redrawSeats(
        WeightedSelection.Tree storage tree,
        uint256 seed,
        uint256 cluster,
        uint256 lockUnits,
        uint256 seats
    ) external returns (uint256 packed, uint256[] memory picked) {
        uint256 count;
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            count += (seats >> i) & 1;
        }
        uint256[] memory all = new uint256[](CLUSTER_SIZE + count);
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            all[i] = (cluster >> (ID_BITS * i)) & _ID_MASK;
        }
        uint256 found = tree.drawMoreAndDeduct(all, CLUSTER_SIZE, seed, lockUnits, MAX_SKIPS);
        if (found < CLUSTER_SIZE + count) {
            revert IOperatorRegistry.NotEnoughEligibleOperators(found - CLUSTER_SIZE, count);
        }
        picked = new uint256[](count);
        packed = cluster;
        uint256 next;
        for (uint256 i; i < CLUSTER_SIZE; ++i) {
            if ((seats >> i) & 1 == 0) continue;
            uint256 id = all[CLUSTER_SIZE + next];
            picked[next] = id;
            ++next;
            packed = (packed & ~(_ID_MASK << (ID_BITS * i))) | (id << (ID_BITS * i));
        }
    }
}
