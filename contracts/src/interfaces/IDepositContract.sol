// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IDepositContract
/// @notice Ethereum's beacon-chain deposit contract interface (phase0 spec). The mainnet contract lives at a fixed address;
/// local chains deploy `DepositContract` from `src/devnet`, which behaves the same way.
// Names below are fixed by the deposit contract specification.
// solhint-disable func-name-mixedcase, var-name-mixedcase
interface IDepositContract {
    /// @notice A deposit was accepted. Layout and encodings match the mainnet contract so consensus clients can parse it.
    /// @param pubkey BLS12-381 public key (48 bytes).
    /// @param withdrawal_credentials Withdrawal credentials (32 bytes).
    /// @param amount Deposit amount in gwei, 8 bytes little-endian.
    /// @param signature BLS12-381 signature over the deposit message (96 bytes).
    /// @param index Index of this deposit in the deposit tree, 8 bytes little-endian.
    event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index);

    /// @notice The public key is not 48 bytes long.
    error InvalidPubkeyLength(uint256 length);
    /// @notice The withdrawal credentials are not 32 bytes long.
    error InvalidWithdrawalCredentialsLength(uint256 length);
    /// @notice The signature is not 96 bytes long.
    error InvalidSignatureLength(uint256 length);
    /// @notice The deposit is below the 1 ether minimum.
    error DepositValueTooLow(uint256 value);
    /// @notice The deposit is not a whole number of gwei.
    error DepositValueNotMultipleOfGwei(uint256 value);
    /// @notice The deposit in gwei does not fit in 64 bits.
    error DepositValueTooHigh(uint256 value);
    /// @notice The supplied `deposit_data_root` differs from the SSZ hash tree root of the deposit data.
    error DepositDataRootMismatch(bytes32 expected, bytes32 supplied);
    /// @notice The deposit tree (depth 32) is full.
    error DepositTreeFull();

    /// @notice Submits a phase0 `DepositData` object.
    /// @param pubkey A BLS12-381 public key (48 bytes).
    /// @param withdrawal_credentials Commitment to a public key for withdrawals (32 bytes).
    /// @param signature A BLS12-381 signature (96 bytes).
    /// @param deposit_data_root The SSZ `hash_tree_root` of the `DepositData`, used as a protection against malformed input.
    function deposit(
        bytes calldata pubkey,
        bytes calldata withdrawal_credentials,
        bytes calldata signature,
        bytes32 deposit_data_root
    ) external payable;

    /// @notice The current deposit root: the SSZ root of `List[DepositData, 2**32]` of every deposit so far.
    /// @return The deposit root hash.
    function get_deposit_root() external view returns (bytes32);

    /// @notice The number of deposits so far.
    /// @return The deposit count, 8 bytes little-endian.
    function get_deposit_count() external view returns (bytes memory);
}
