// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IWithdrawalQueue} from "../interfaces/IWithdrawalQueue.sol";

/// @notice Test double standing in for the staking pool to reach pool-only entry points of other components, and
/// a component that claims to belong to any pool (for wiring checks).
contract PoolCaller {
    address private immutable _CLAIMED_POOL;

    constructor(address claimedPool) {
        _CLAIMED_POOL = claimedPool;
    }

    function stakingPool() external view returns (address) {
        return _CLAIMED_POOL;
    }

    function callFinalize(IWithdrawalQueue queue) external {
        queue.finalize(1, 1, 1 ether, 1 ether, 1 ether);
    }

    function callHandleOracleReport(IStakingPool pool) external {
        pool.handleOracleReport(0, 0, 0);
    }

    receive() external payable {}
}
