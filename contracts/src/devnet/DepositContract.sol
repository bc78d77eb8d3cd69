// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IDepositContract} from "../interfaces/IDepositContract.sol";

/// @title DepositContract
/// @notice Beacon-chain deposit contract for local chains, written from the phase0 deposit contract specification: the same
/// interface, `DepositEvent` encoding, incremental Merkle tree (depth 32, root mixed in with the count) and input checks as the
/// mainnet contract. Only the revert data differs: checks fail with custom errors instead of revert strings.
/// @dev On mainnet the real contract at its fixed address is used instead.
// Names below are fixed by the deposit contract specification.
// solhint-disable func-name-mixedcase, var-name-mixedcase
contract DepositContract is IDepositContract, IERC165 {
    uint256 private constant _TREE_DEPTH = 32;
    uint256 private constant _MAX_DEPOSIT_COUNT = 2 ** _TREE_DEPTH - 1;

    /// @dev Left-most filled node at each height of the incremental tree (the "branch").
    bytes32[_TREE_DEPTH] private _branch;
    uint256 private _depositCount;
    /// @dev Roots of all-zero subtrees: `_zeroHashes[h]` is the root of a zero subtree of height `h`.
    bytes32[_TREE_DEPTH] private _zeroHashes;

    constructor() {
        for (uint256 height = 0; height < _TREE_DEPTH - 1; ++height) {
            _zeroHashes[height + 1] = sha256(abi.encodePacked(_zeroHashes[height], _zeroHashes[height]));
        }
    }

    /// @inheritdoc IDepositContract
    function get_deposit_root() external view override returns (bytes32) {
        bytes32 node;
        uint256 size = _depositCount;
        for (uint256 height = 0; height < _TREE_DEPTH; ++height) {
            if ((size & 1) == 1) {
                node = sha256(abi.encodePacked(_branch[height], node));
            } else {
                node = sha256(abi.encodePacked(node, _zeroHashes[height]));
            }
            size /= 2;
        }
        return sha256(abi.encodePacked(node, _toLittleEndian64(uint64(_depositCount)), bytes24(0)));
    }

    /// @inheritdoc IDepositContract
    function get_deposit_count() external view override returns (bytes memory) {
        return _toLittleEndian64(uint64(_depositCount));
    }

    /// @inheritdoc IDepositContract
    function deposit(
        bytes calldata pubkey,
        bytes calldata withdrawal_credentials,
        bytes calldata signature,
        bytes32 deposit_data_root
    ) external payable override {
        if (pubkey.length != 48) revert InvalidPubkeyLength(pubkey.length);
        if (withdrawal_credentials.length != 32) {
            revert InvalidWithdrawalCredentialsLength(withdrawal_credentials.length);
        }
        if (signature.length != 96) revert InvalidSignatureLength(signature.length);
        if (msg.value < 1 ether) revert DepositValueTooLow(msg.value);
        if (msg.value % 1 gwei != 0) revert DepositValueNotMultipleOfGwei(msg.value);
        uint256 depositAmount = msg.value / 1 gwei;
        if (depositAmount > type(uint64).max) revert DepositValueTooHigh(msg.value);

        bytes memory amount = _toLittleEndian64(uint64(depositAmount));
        emit DepositEvent(pubkey, withdrawal_credentials, amount, signature, _toLittleEndian64(uint64(_depositCount)));

        // hash_tree_root(DepositData{pubkey, withdrawal_credentials, amount, signature}) as in the SSZ spec.
        bytes32 pubkeyRoot = sha256(abi.encodePacked(pubkey, bytes16(0)));
        bytes32 signatureRoot = sha256(
            abi.encodePacked(
                sha256(abi.encodePacked(signature[:64])), sha256(abi.encodePacked(signature[64:], bytes32(0)))
            )
        );
        bytes32 node = sha256(
            abi.encodePacked(
                sha256(abi.encodePacked(pubkeyRoot, withdrawal_credentials)),
                sha256(abi.encodePacked(amount, bytes24(0), signatureRoot))
            )
        );
        if (node != deposit_data_root) revert DepositDataRootMismatch(node, deposit_data_root);

        if (_depositCount + 1 > _MAX_DEPOSIT_COUNT) revert DepositTreeFull();
        uint256 size = ++_depositCount;
        for (uint256 height = 0; height < _TREE_DEPTH; ++height) {
            if ((size & 1) == 1) {
                _branch[height] = node;
                return;
            }
            node = sha256(abi.encodePacked(_branch[height], node));
            size /= 2;
        }
        // Unreachable: a count below 2**32 always has a set bit below height 32.
        assert(false);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure override returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IDepositContract).interfaceId;
    }

    function _toLittleEndian64(uint64 value) private pure returns (bytes memory ret) {
        ret = new bytes(8);
        bytes8 bytesValue = bytes8(value);
        // Byte-swap the big-endian representation into little-endian order.
        ret[0] = bytesValue[7];
        ret[1] = bytesValue[6];
        ret[2] = bytesValue[5];
        ret[3] = bytesValue[4];
        ret[4] = bytesValue[3];
        ret[5] = bytesValue[2];
        ret[6] = bytesValue[1];
        ret[7] = bytesValue[0];
    }
}
