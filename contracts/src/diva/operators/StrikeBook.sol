// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccountingOracle} from "../../interfaces/IAccountingOracle.sol";
import {IOperatorRegistry} from "../../interfaces/IOperatorRegistry.sol";
import {ValidatorBook} from "./ValidatorBook.sol";

/// @title StrikeBook
/// @notice Strikes against operators and their permissionless ejection. A strike is recorded with the accounting
/// oracle's current frame; an operator holding `STRIKES_TO_EJECT` strikes within the last `STRIKE_WINDOW_FRAMES`
/// frames may be ejected by anyone (`ejectOperator`): it leaves the draw for good, keeps its validators and can still
/// withdraw its free bond. Today a strike comes from a missed DKG (`OperatorRegistry.expireRequest`); the per-share
/// performance path will call `_strike` once per-share performance reaches the chain (one entry, same window).
/// @dev Part of `OperatorRegistry`. Per operator, one slot: the frames (plus one, 0 = empty) of its last
/// `STRIKES_TO_EJECT` strikes in 32-bit lanes, newest in the lowest lane, and its lifetime strike count in bits 224+.
abstract contract StrikeBook is ValidatorBook {
    /// @notice Strikes within the window that make an operator ejectable (Lido CSM: 3).
    uint256 public constant STRIKES_TO_EJECT = 3;
    /// @notice Length of the strike window in accounting-oracle frames, the current frame included (Lido CSM: 6).
    uint256 public constant STRIKE_WINDOW_FRAMES = 6;

    uint256 private constant _LANE_BITS = 32;
    uint256 private constant _LANES_MASK = (1 << (_LANE_BITS * STRIKES_TO_EJECT)) - 1;
    uint256 private constant _TOTAL_SHIFT = 224;

    mapping(uint256 operatorId => uint256 packed) private _strikes;

    /// @inheritdoc IOperatorRegistry
    function ejectOperator(uint256 operatorId) external override {
        OperatorRecord memory op = _requireOperator(operatorId);
        if (op.ejected) revert OperatorIsEjected(operatorId);
        uint256 inWindow = _strikesInWindow(_strikes[operatorId], _currentFrame());
        if (inWindow < STRIKES_TO_EJECT) revert NotEjectable(operatorId, inWindow, STRIKES_TO_EJECT);
        _setDrawState(operatorId, op, op.paused, true);
    }

    /// @inheritdoc IOperatorRegistry
    function operatorStrikes(uint256 operatorId)
        external
        view
        override
        returns (uint256 inWindow, uint256 total, uint256 lastFrame)
    {
        _requireOperator(operatorId);
        uint256 packed = _strikes[operatorId];
        inWindow = _strikesInWindow(packed, _currentFrame());
        total = packed >> _TOTAL_SHIFT;
        uint256 newest = packed & type(uint32).max;
        if (newest != 0) lastFrame = newest - 1;
    }

    /// @dev Records a strike against `operatorId` in `frame` (the caller read `_currentFrame()` once for a batch).
    function _strike(uint256 operatorId, uint256 frame, uint256 requestId) internal {
        uint256 packed = _strikes[operatorId];
        uint256 total = (packed >> _TOTAL_SHIFT) + 1;
        // Frames are at most 32 bits for the next ~400 years of daily frames; the cast keeps a lane in its bits.
        packed = (((packed << _LANE_BITS) | uint32(frame + 1)) & _LANES_MASK) | (total << _TOTAL_SHIFT);
        _strikes[operatorId] = packed;
        emit OperatorStruck(operatorId, requestId, frame, _strikesInWindow(packed, frame));
    }

    /// @dev The oracle's current frame (the strike window's clock).
    function _currentFrame() internal view returns (uint256) {
        return IAccountingOracle(_ORACLE).currentFrame();
    }

    /// @dev Strikes of `packed` in the window ending at `frame`.
    function _strikesInWindow(uint256 packed, uint256 frame) private pure returns (uint256 count) {
        for (uint256 i; i < STRIKES_TO_EJECT; ++i) {
            uint256 lane = (packed >> (_LANE_BITS * i)) & type(uint32).max;
            // Lanes are newest first: the first one out of the window ends the count.
            if (lane == 0 || lane - 1 + STRIKE_WINDOW_FRAMES <= frame) break;
            ++count;
        }
    }
}
