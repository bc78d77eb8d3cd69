// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {WeightedSelection} from "../libraries/WeightedSelection.sol";
import {OperatorRegistry} from "../diva/OperatorRegistry.sol";

/// @notice The operator registry with a statistics entry point (tests only, never deployed on a network): runs the
/// registry's own cluster draw many times from one state, to check its fairness at the registry level.
contract OperatorRegistryDrawHarness is OperatorRegistry {
    using WeightedSelection for WeightedSelection.Tree;

    constructor(
        address pool,
        address wrappedDivETH,
        uint256 bondPerKeyShare,
        uint256 bondUnitShares,
        uint256 dkgTimeout,
        bytes4 genesisForkVersion
    ) OperatorRegistry(pool, wrappedDivETH, bondPerKeyShare, bondUnitShares, dkgTimeout, genesisForkVersion) {}

    /// @notice Draws `rounds` clusters at the current lock, each from the same starting weights.
    /// @param rounds Number of clusters drawn.
    /// @param seed Base seed; round `r` uses `keccak256(seed, r)`.
    /// @param operators Operators counted (ids `1..operators`).
    /// @return firstPick How often each operator (index `id - 1`) was drawn first.
    /// @return inclusion How often each operator was in a cluster.
    /// @return duplicates Clusters that named an operator twice.
    /// @return underBonded Picks of an operator whose free units were below the lock.
    function drawMany(uint256 rounds, uint256 seed, uint256 operators)
        external
        returns (uint256[] memory firstPick, uint256[] memory inclusion, uint256 duplicates, uint256 underBonded)
    {
        firstPick = new uint256[](operators);
        inclusion = new uint256[](operators);
        uint256 lockUnits = currentLockUnits();
        uint256[] memory before = new uint256[](operators + 1);
        for (uint256 id = 1; id <= operators; ++id) {
            before[id] = _tree.weightOf(id);
        }
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        for (uint256 r; r < rounds; ++r) {
            (uint256 cluster,) = _drawCluster(uint256(keccak256(abi.encode(seed, r))), lockUnits);
            // Release the round's scratch memory so memory expansion stays linear in the number of rounds.
            assembly ("memory-safe") {
                mstore(0x40, freeMemory)
            }
            ++firstPick[(cluster & 0x7fff) - 1];
            for (uint256 i; i < CLUSTER_SIZE; ++i) {
                uint256 id = (cluster >> (15 * i)) & 0x7fff;
                for (uint256 j; j < i; ++j) {
                    if ((cluster >> (15 * j)) & 0x7fff == id) ++duplicates;
                }
                if (before[id] < lockUnits) ++underBonded;
                ++inclusion[id - 1];
                _tree.set(id, before[id]);
            }
        }
    }

    /// @notice The one-step draw the registry had before its two-step draw (kept here only to reproduce the steering
    /// attack against it): reserves 32 ETH and draws at once, seeded by this block's `prevrandao`, which everyone
    /// knows once the previous block is out — so a caller can simulate the outcome and pick its block.
    /// @return cluster The 16 operator ids, packed 15 bits each.
    function requestValidatorLegacy() external returns (uint256 cluster) {
        _POOL.reserveValidatorDeposit();
        uint256 lockUnits = currentLockUnits();
        uint256 requestId = _requestCount + 1;
        _requestCount = uint64(requestId);
        (cluster,) =
            _drawCluster(uint256(keccak256(abi.encode(block.prevrandao, requestId, block.chainid, address(this)))), lockUnits);
        _clusters[requestId] = cluster;
    }

    /// @notice Records a strike against `operatorId` in the current oracle frame, as evidence would (tests only: lets
    /// tests reach an ejectable operator without running three failed DKGs).
    /// @param operatorId The operator.
    function strike(uint256 operatorId) external {
        _requireOperator(operatorId);
        _strike(operatorId, _currentFrame(), 0);
    }
}
