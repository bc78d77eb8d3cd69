// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IOperatorRegistry} from "../interfaces/IOperatorRegistry.sol";
import {IStakingPool} from "../interfaces/IStakingPool.sol";
import {IValidatorRegistry} from "../interfaces/IValidatorRegistry.sol";

/// @notice Test double of the future validator registry: forwards the pool's registry entry points.
contract ValidatorRegistryDouble is IValidatorRegistry {
    address private immutable _POOL;
    // The few registry views `OperatorRewards` reads, set by tests.
    uint256 private _requestCount;
    uint256 private _operatorCount;
    mapping(uint256 validatorId => uint16[16]) private _seats;
    mapping(uint256 validatorId => bytes) private _pubkeys;
    mapping(address owner => uint256) private _operatorIds;

    constructor(address pool) {
        _POOL = pool;
    }

    /// @inheritdoc IValidatorRegistry
    function stakingPool() external view returns (address) {
        return _POOL;
    }

    /// @notice Forwards `reserveValidatorDeposit`.
    function reserve() external {
        IStakingPool(_POOL).reserveValidatorDeposit();
    }

    /// @notice Forwards `releaseValidatorDeposit`.
    function release() external {
        IStakingPool(_POOL).releaseValidatorDeposit();
    }

    /// @notice Forwards `topUpValidator`.
    /// @param pubkey Validator public key.
    function topUp(bytes calldata pubkey) external {
        IStakingPool(_POOL).topUpValidator(pubkey);
    }

    /// @notice Forwards `writeOffPredeposit`, burning `bondShares` of the divETH shares this double holds.
    /// @param pubkey Validator public key.
    /// @param bondShares Shares to burn.
    function writeOff(bytes calldata pubkey, uint256 bondShares) external {
        IStakingPool(_POOL).writeOffPredeposit(pubkey, bondShares);
    }

    /// @notice Forwards `depositValidator`.
    /// @param pubkey Validator public key.
    /// @param signature Deposit signature.
    /// @param depositDataRoot Deposit data root.
    function deposit(bytes calldata pubkey, bytes calldata signature, bytes32 depositDataRoot) external {
        IStakingPool(_POOL).depositValidator(pubkey, signature, depositDataRoot);
    }

    /// @notice Sets validator `validatorId`'s key and seats (and grows `requestCount` to it).
    /// @param validatorId The validator.
    /// @param pubkey Its key.
    /// @param operatorIds Its 16 seat operators.
    function setValidator(uint256 validatorId, bytes calldata pubkey, uint16[16] calldata operatorIds) external {
        _pubkeys[validatorId] = pubkey;
        _seats[validatorId] = operatorIds;
        if (validatorId > _requestCount) _requestCount = validatorId;
    }

    /// @notice Sets operator `operatorId`'s owner (and grows `operatorCount` to it).
    /// @param operatorId The operator.
    /// @param owner Its owner.
    function setOperator(uint256 operatorId, address owner) external {
        _operatorIds[owner] = operatorId;
        if (operatorId > _operatorCount) _operatorCount = operatorId;
    }

    /// @notice As `IOperatorRegistry.requestCount`.
    /// @return The count.
    function requestCount() external view returns (uint256) {
        return _requestCount;
    }

    /// @notice As `IOperatorRegistry.operatorCount`.
    /// @return The count.
    function operatorCount() external view returns (uint256) {
        return _operatorCount;
    }

    /// @notice As `IOperatorRegistry.getRequest` (only the seats are set).
    /// @param validatorId The validator.
    /// @return r The request.
    function getRequest(uint256 validatorId) external view returns (IOperatorRegistry.ValidatorRequest memory r) {
        r.operatorIds = _seats[validatorId];
    }

    /// @notice As `IOperatorRegistry.validatorKeys` (no share commitment).
    /// @param validatorId The validator.
    /// @return pubkey Its key.
    /// @return sharePubkeysHash Zero.
    function validatorKeys(uint256 validatorId) external view returns (bytes memory pubkey, bytes32 sharePubkeysHash) {
        return (_pubkeys[validatorId], bytes32(0));
    }

    /// @notice As `IOperatorRegistry.operatorIdByOwner`.
    /// @param owner The owner.
    /// @return The operator id (0: none).
    function operatorIdByOwner(address owner) external view returns (uint256) {
        return _operatorIds[owner];
    }
}
