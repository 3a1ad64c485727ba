import Foundation
import SluiceCore

/// The accepting side of the handshake, as a pure state machine.
///
/// `received(_:)` decides; the connection shell only performs the returned action (send, accept,
/// or send-and-close), so every path is unit-tested without sockets. Invariant: nothing but a
/// handshake message is accepted before `.accepted`, and any failure is final.
public struct ServerHandshake: Sendable {
    public enum Action: Equatable, Sendable {
        /// Send this and wait for the next message.
        case send(_ProtoEnvelope)
        /// Send this; the peer is authenticated.
        case accept(_ProtoEnvelope, HandshakePeer)
        /// Send this (if any) and close the connection.
        case reject(_ProtoEnvelope?, HandshakeError)
    }

    private enum State: Sendable {
        case awaitingOffer
        case awaitingResponse(offer: _ProtoHandshakeOffer, serverNonce: [UInt8])
        case accepted
        case failed
    }

    private let proof: HandshakeProof
    private let clusterID: String
    private let serverID: String
    private let acceptedRoles: Set<_ProtoPeerRole>
    private let makeNonce: @Sendable () -> [UInt8]
    private var state = State.awaitingOffer

    public init(clusterID: String, secret: String, serverID: String, acceptedRoles: Set<_ProtoPeerRole>,
                makeNonce: @escaping @Sendable () -> [UInt8] = HandshakeProof.makeNonce) {
        self.proof = HandshakeProof(secret: secret, clusterID: clusterID)
        self.clusterID = clusterID
        self.serverID = serverID
        self.acceptedRoles = acceptedRoles
        self.makeNonce = makeNonce
    }

    public var isAccepted: Bool {
        if case .accepted = state { return true }
        return false
    }

    public mutating func received(_ envelope: _ProtoEnvelope) -> Action {
        switch (state, envelope.body) {
        case (.awaitingOffer, .handshakeOffer(let offer)?):
            return offerReceived(offer)
        case (.awaitingResponse(let offer, let serverNonce), .handshakeResponse(let response)?):
            return responseReceived(response, offer: offer, serverNonce: serverNonce)
        case (.awaitingResponse, .handshakeReject(let reject)?):
            // The client refused our proof (different secret) and says so before hanging up.
            state = .failed
            return .reject(nil, .rejected(reason: reject.reason, message: reject.message))
        case (.awaitingOffer, _):
            return fail(.protocolViolation, "expected HandshakeOffer, got \(envelope.bodyName)")
        case (.awaitingResponse, _):
            return fail(.protocolViolation, "expected HandshakeResponse, got \(envelope.bodyName)")
        case (.accepted, _), (.failed, _):
            return fail(.protocolViolation, "handshake already finished, got \(envelope.bodyName)")
        }
    }

    private mutating func offerReceived(_ offer: _ProtoHandshakeOffer) -> Action {
        guard offer.protocolVersion == SluiceVersion.protocolVersion else {
            return fail(.versionMismatch,
                        HandshakeError.versionMismatch(local: SluiceVersion.protocolVersion, remote: offer.protocolVersion))
        }
        guard offer.clusterID == clusterID else {
            return fail(.clusterMismatch, HandshakeError.clusterMismatch(local: clusterID, remote: offer.clusterID))
        }
        guard acceptedRoles.contains(offer.role) else {
            return fail(.unsupportedRole, HandshakeError.unsupportedRole("\(offer.role)"))
        }
        guard offer.clientNonce.count == HandshakeProof.nonceLength else {
            return fail(.protocolViolation, "client nonce must be \(HandshakeProof.nonceLength) bytes, got \(offer.clientNonce.count)")
        }
        let serverNonce = makeNonce()
        var challenge = _ProtoHandshakeChallenge()
        challenge.protocolVersion = SluiceVersion.protocolVersion
        challenge.serverNonce = Data(serverNonce)
        challenge.serverProof = Data(proof.serverProof(clientNonce: Array(offer.clientNonce), serverNonce: serverNonce))
        state = .awaitingResponse(offer: offer, serverNonce: serverNonce)
        return .send(.with(.handshakeChallenge(challenge)))
    }

    private mutating func responseReceived(_ response: _ProtoHandshakeResponse, offer: _ProtoHandshakeOffer, serverNonce: [UInt8]) -> Action {
        let expected = proof.clientProof(clientNonce: Array(offer.clientNonce), serverNonce: serverNonce)
        guard HandshakeProof.matches(Array(response.clientProof), expected) else {
            return fail(.badProof, HandshakeError.badClientProof(peer: offer.peerName.isEmpty ? "unnamed peer" : offer.peerName))
        }
        state = .accepted
        var accept = _ProtoHandshakeAccept()
        accept.serverID = serverID
        let peer = HandshakePeer(role: offer.role, name: offer.peerName, protocolVersion: offer.protocolVersion)
        return .accept(.with(.handshakeAccept(accept)), peer)
    }

    private mutating func fail(_ reason: _ProtoRejectReason, _ message: String) -> Action {
        fail(reason, HandshakeError.protocolViolation(message))
    }

    private mutating func fail(_ reason: _ProtoRejectReason, _ error: HandshakeError) -> Action {
        state = .failed
        var reject = _ProtoHandshakeReject()
        reject.reason = reason
        // A peer with a bad proof learns no more than "bad proof"; the other reasons help it fix its config.
        reject.message = error.description
        return .reject(.with(.handshakeReject(reject)), error)
    }
}
