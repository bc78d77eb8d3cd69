// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IFinalityRelay} from "./interfaces/IFinalityRelay.sol";

/// @title FinalizedBlockConsumer
/// @notice The smallest consumer of the finality relay: it accepts a message only once the execution block that
/// carried it is certified final by the Network (e.g. a bridge releasing funds for a finalized deposit).
contract FinalizedBlockConsumer {
    /// @notice The relay read.
    IFinalityRelay public immutable RELAY;
    /// @notice Accepted messages.
    mapping(bytes32 messageId => bool) public accepted;

    /// @notice `messageId`, carried by `executionBlockHash`, was accepted as final at beacon `epoch`.
    event MessageAccepted(bytes32 indexed messageId, bytes32 indexed executionBlockHash, uint256 epoch);

    /// @param relay The finality relay.
    constructor(IFinalityRelay relay) {
        RELAY = relay;
    }

    /// @notice Accepts `messageId` if `executionBlockHash` is a certified finalized block (reverts otherwise).
    /// @param messageId The message.
    /// @param executionBlockHash The block that carried it.
    function accept(bytes32 messageId, bytes32 executionBlockHash) external {
        uint256 epoch = RELAY.finalizedEpochOf(executionBlockHash);
        accepted[messageId] = true;
        emit MessageAccepted(messageId, executionBlockHash, epoch);
    }
}
