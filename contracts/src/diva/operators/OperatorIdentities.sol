// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IOperatorRegistry} from "../../interfaces/IOperatorRegistry.sol";

/// @title OperatorIdentities
/// @notice The operator registry's identity records: each operator's owner, signer, node identity and metadata URI,
/// and the reverse lookups that keep owners, signers and node identities unique.
/// @dev An external library (deployed once, linked into the registry, reached by `DELEGATECALL` on the registry's
/// storage): its code lives outside the registry's 24,576 bytes. Stateless; its address is fixed at link time.
library OperatorIdentities {
    /// @notice Longest metadata URI accepted, in bytes.
    uint256 internal constant MAX_METADATA_URI_LENGTH = 512;

    /// @notice The identity mappings, in the registry's storage order.
    struct Book {
        mapping(uint256 operatorId => address) signers;
        mapping(uint256 operatorId => bytes32) nodeIdentities;
        mapping(uint256 operatorId => string) metadataURIs;
        mapping(address owner => uint256 operatorId) idByOwner;
        mapping(address signer => uint256 operatorId) idBySigner;
        mapping(bytes32 nodeIdentity => uint256 operatorId) idByNodeIdentity;
    }

    /// @notice Records a new operator `operatorId` owned by `owner` with its identity.
    /// @dev Reverts `AddressInUse` if `owner` already owns an operator, then `RegistryFull` if `operatorId` is above
    /// `maxOperators`, then as `update` for a bad identity.
    /// @param book The registry's identity mappings.
    /// @param operatorId The new operator's id.
    /// @param maxOperators Highest id the registry accepts.
    /// @param owner The operator's owner (the caller of `registerOperator`).
    /// @param signer Address that signs the operator's DKG approvals.
    /// @param nodeIdentity The operator's Stinger node identity.
    /// @param metadataURI The operator's metadata URI.
    function register(
        Book storage book,
        uint256 operatorId,
        uint256 maxOperators,
        address owner,
        address signer,
        bytes32 nodeIdentity,
        string calldata metadataURI
    ) external {
        uint256 existing = book.idByOwner[owner];
        if (existing != 0) revert IOperatorRegistry.AddressInUse(owner, existing);
        if (operatorId > maxOperators) revert IOperatorRegistry.RegistryFull(maxOperators);
        book.idByOwner[owner] = operatorId;
        _set(book, operatorId, signer, nodeIdentity, metadataURI);
    }

    /// @notice Replaces the identity of operator `operatorId`.
    /// @dev Reverts `ZeroAddress`, `ZeroNodeIdentity`, `MetadataURITooLong`, `AddressInUse` (signer of another
    /// operator) or `NodeIdentityInUse`.
    /// @param book The registry's identity mappings.
    /// @param operatorId The operator.
    /// @param signer Its new signer.
    /// @param nodeIdentity Its new node identity.
    /// @param metadataURI Its new metadata URI.
    function update(
        Book storage book,
        uint256 operatorId,
        address signer,
        bytes32 nodeIdentity,
        string calldata metadataURI
    ) external {
        delete book.idBySigner[book.signers[operatorId]];
        delete book.idByNodeIdentity[book.nodeIdentities[operatorId]];
        _set(book, operatorId, signer, nodeIdentity, metadataURI);
    }

    function _set(Book storage book, uint256 operatorId, address signer, bytes32 nodeIdentity, string calldata metadataURI)
        private
    {
        if (signer == address(0)) revert IOperatorRegistry.ZeroAddress();
        if (nodeIdentity == bytes32(0)) revert IOperatorRegistry.ZeroNodeIdentity();
        if (bytes(metadataURI).length > MAX_METADATA_URI_LENGTH) {
            revert IOperatorRegistry.MetadataURITooLong(bytes(metadataURI).length, MAX_METADATA_URI_LENGTH);
        }
        uint256 other = book.idBySigner[signer];
        if (other != 0) revert IOperatorRegistry.AddressInUse(signer, other);
        other = book.idByNodeIdentity[nodeIdentity];
        if (other != 0) revert IOperatorRegistry.NodeIdentityInUse(nodeIdentity, other);
        book.signers[operatorId] = signer;
        book.idBySigner[signer] = operatorId;
        book.nodeIdentities[operatorId] = nodeIdentity;
        book.idByNodeIdentity[nodeIdentity] = operatorId;
        book.metadataURIs[operatorId] = metadataURI;
    }
}
