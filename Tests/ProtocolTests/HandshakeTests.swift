import Foundation
import SluiceCore
import SluiceProtocol
import Testing

@Suite struct HandshakeTests {
    private let fixedServerNonce: @Sendable () -> [UInt8] = { [UInt8](repeating: 7, count: 32) }
    private let fixedClientNonce: @Sendable () -> [UInt8] = { [UInt8](repeating: 9, count: 32) }

    private func server(secret: String = "s3cret", cluster: String = "prod",
                        roles: Set<_ProtoPeerRole> = [.taskManager]) -> ServerHandshake {
        ServerHandshake(clusterID: cluster, secret: secret, serverID: "jm-1", acceptedRoles: roles, makeNonce: fixedServerNonce)
    }

    private func client(secret: String = "s3cret", cluster: String = "prod", role: _ProtoPeerRole = .taskManager) -> ClientHandshake {
        ClientHandshake(clusterID: cluster, secret: secret, role: role, peerName: "tm-a", makeNonce: fixedClientNonce)
    }

    /// Plays both machines against each other; returns (server's last action, client's last action).
    private func run(_ server: ServerHandshake, _ client: ClientHandshake) -> (ServerHandshake.Action?, ClientHandshake.Action?) {
        var server = server, client = client
        var toServer: _ProtoEnvelope? = client.start()
        var lastServer: ServerHandshake.Action?
        var lastClient: ClientHandshake.Action?
        while let message = toServer {
            toServer = nil
            lastServer = server.received(message)
            let reply: _ProtoEnvelope?
            switch lastServer! {
            case .send(let envelope): reply = envelope
            case .accept(let envelope, _): reply = envelope
            case .reject(let envelope, _): reply = envelope
            }
            guard let reply else { break }
            lastClient = client.received(reply)
            if case .send(let next) = lastClient! { toServer = next }
        }
        return (lastServer, lastClient)
    }

    @Test func matchingSecretsAuthenticateBothSides() {
        let (serverAction, clientAction) = run(server(), client())
        guard case .accept(_, let peer)? = serverAction else {
            Issue.record("server did not accept: \(String(describing: serverAction))")
            return
        }
        #expect(peer == HandshakePeer(role: .taskManager, name: "tm-a", protocolVersion: SluiceVersion.protocolVersion))
        #expect(clientAction == .accepted(serverID: "jm-1"))
    }

    @Test func clientDetectsAServerWithAnotherSecret() {
        let (_, clientAction) = run(server(secret: "other"), client())
        guard case .abort(let notice, .badServerProof)? = clientAction, case .handshakeReject(let reject)? = notice.body else {
            Issue.record("client did not abort with a notice: \(String(describing: clientAction))")
            return
        }
        #expect(reject.reason == .badProof)
    }

    @Test func serverLogsTheClientsRefusalOfItsProof() {
        var server = server(secret: "other")
        var client = client()
        guard case .send(let challenge) = server.received(client.start()),
              case .abort(let notice, _) = client.received(challenge) else {
            Issue.record("handshake did not reach the client's abort")
            return
        }
        guard case .reject(nil, let error) = server.received(notice) else {
            Issue.record("server did not take the client's notice as a rejection")
            return
        }
        #expect(error.metricLabel == "bad_proof")
        #expect(error.isPermanent)
    }

    @Test func serverRefusesAClientWithAnotherSecret() {
        // A client that skips the server-proof check (or a forger) still cannot get in.
        var server = server()
        var offer = _ProtoHandshakeOffer()
        offer.protocolVersion = SluiceVersion.protocolVersion
        offer.clusterID = "prod"
        offer.clientNonce = Data(fixedClientNonce())
        offer.role = .taskManager
        offer.peerName = "forger"
        guard case .send = server.received(.with(.handshakeOffer(offer))) else {
            Issue.record("offer not answered with a challenge")
            return
        }
        var response = _ProtoHandshakeResponse()
        response.clientProof = Data(HandshakeProof(secret: "guess", clusterID: "prod")
            .clientProof(clientNonce: fixedClientNonce(), serverNonce: fixedServerNonce()))
        guard case .reject(let reply?, let error) = server.received(.with(.handshakeResponse(response))) else {
            Issue.record("forged proof not rejected")
            return
        }
        #expect(error == .badClientProof(peer: "forger"))
        guard case .handshakeReject(let reject)? = reply.body else {
            Issue.record("no HandshakeReject sent")
            return
        }
        #expect(reject.reason == .badProof)
        #expect(!server.isAccepted)
    }

    @Test func versionMismatchIsRejectedWithBothVersions() {
        var server = server()
        var offer = _ProtoHandshakeOffer()
        offer.protocolVersion = 99
        offer.clusterID = "prod"
        offer.clientNonce = Data(fixedClientNonce())
        offer.role = .taskManager
        guard case .reject(_, let error) = server.received(.with(.handshakeOffer(offer))) else {
            Issue.record("version mismatch accepted")
            return
        }
        #expect(error == .versionMismatch(local: SluiceVersion.protocolVersion, remote: 99))
    }

    @Test func clusterMismatchIsRejected() {
        let (serverAction, clientAction) = run(server(cluster: "prod"), client(cluster: "staging"))
        guard case .reject(_, .clusterMismatch(local: "prod", remote: "staging"))? = serverAction else {
            Issue.record("cluster mismatch not rejected: \(String(describing: serverAction))")
            return
        }
        guard case .failed(.rejected(reason: .clusterMismatch, _))? = clientAction else {
            Issue.record("client did not see the rejection: \(String(describing: clientAction))")
            return
        }
    }

    @Test func roleNotServedOnThisPortIsRejected() {
        let (serverAction, _) = run(server(roles: [.dataChannel]), client(role: .taskManager))
        guard case .reject(_, .unsupportedRole)? = serverAction else {
            Issue.record("role accepted: \(String(describing: serverAction))")
            return
        }
    }

    @Test func anyMessageBeforeTheOfferIsAProtocolViolation() {
        var server = server()
        guard case .reject(_, .protocolViolation(let what)) = server.received(.with(.heartbeat(.init()))) else {
            Issue.record("heartbeat before handshake accepted")
            return
        }
        #expect(what.contains("Heartbeat"))
    }

    @Test func emptyEnvelopeIsAProtocolViolation() {
        var server = server()
        guard case .reject(_, .protocolViolation) = server.received(_ProtoEnvelope()) else {
            Issue.record("empty envelope accepted")
            return
        }
    }

    @Test func hmacMatchesTheRFC4231TestVector() {
        // RFC 4231, test case 2.
        let mac = HandshakeProof.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
