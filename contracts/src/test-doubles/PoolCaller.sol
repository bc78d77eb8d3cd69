// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice Test double: a component that claims to belong to any pool, for the pool's wiring checks.
contract PoolCaller {
    address private immutable _CLAIMED_POOL;

    constructor(address claimedPool) {
        _CLAIMED_POOL = claimedPool;
    }

    /// @notice The pool this double claims to belong to.
    /// @return The claimed pool address.
    function stakingPool() external view returns (address) {
        return _CLAIMED_POOL;
    }
}
