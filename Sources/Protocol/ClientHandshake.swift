import Foundation
import SluiceCore

/// The connecting side of the handshake, as a pure state machine.
///
/// `start()` yields the offer; `received(_:)` answers the challenge after checking the server's
/// proof, so a client never authenticates to a server that does not know the secret.
public struct ClientHandshake: Sendable {
    public enum Action: Equatable, Sendable {
        case send(_ProtoEnvelope)
        case accepted(serverID: String)
        /// Close the connection; the error says why.
        case failed(HandshakeError)
        /// Send this (telling the server why) and close the connection.
        case abort(_ProtoEnvelope, HandshakeError)
    }

    private enum State: Sendable {
        case idle
        case awaitingChallenge(clientNonce: [UInt8])
        case awaitingAccept
        case accepted
        case failed
    }

    private let proof: HandshakeProof
    private let clusterID: String
    private let role: _ProtoPeerRole
    private let peerName: String
    private let makeNonce: @Sendable () -> [UInt8]
    private var state = State.idle

    public init(clusterID: String, secret: String, role: _ProtoPeerRole, peerName: String,
                makeNonce: @escaping @Sendable () -> [UInt8] = HandshakeProof.makeNonce) {
        self.proof = HandshakeProof(secret: secret, clusterID: clusterID)
        self.clusterID = clusterID
        self.role = role
        self.peerName = peerName
        self.makeNonce = makeNonce
    }

    public mutating func start() -> _ProtoEnvelope {
        let nonce = makeNonce()
        var offer = _ProtoHandshakeOffer()
        offer.protocolVersion = SluiceVersion.protocolVersion
        offer.clusterID = clusterID
        offer.clientNonce = Data(nonce)
        offer.role = role
        offer.peerName = peerName
        state = .awaitingChallenge(clientNonce: nonce)
        return .with(.handshakeOffer(offer))
    }

    public mutating func received(_ envelope: _ProtoEnvelope) -> Action {
        switch (state, envelope.body) {
        case (_, .handshakeReject(let reject)?):
            state = .failed
            return .failed(.rejected(reason: reject.reason, message: reject.message))
        case (.awaitingChallenge(let clientNonce), .handshakeChallenge(let challenge)?):
            guard challenge.protocolVersion == SluiceVersion.protocolVersion else {
                state = .failed
                return .failed(.versionMismatch(local: SluiceVersion.protocolVersion, remote: challenge.protocolVersion))
            }
            let serverNonce = Array(challenge.serverNonce)
            let expected = proof.serverProof(clientNonce: clientNonce, serverNonce: serverNonce)
            guard HandshakeProof.matches(Array(challenge.serverProof), expected) else {
                state = .failed
                // Tell the server, so its log names the cause instead of an unexplained hang-up.
                var reject = _ProtoHandshakeReject()
                reject.reason = .badProof
                reject.message = "the client \(peerName) could not verify the server's proof: the cluster secrets differ"
                return .abort(.with(.handshakeReject(reject)), .badServerProof)
            }
            var response = _ProtoHandshakeResponse()
            response.clientProof = Data(proof.clientProof(clientNonce: clientNonce, serverNonce: serverNonce))
            state = .awaitingAccept
            return .send(.with(.handshakeResponse(response)))
        case (.awaitingAccept, .handshakeAccept(let accept)?):
            state = .accepted
            return .accepted(serverID: accept.serverID)
        default:
            state = .failed
            return .failed(.protocolViolation("unexpected \(envelope.bodyName) during the handshake"))
        }
    }
}
