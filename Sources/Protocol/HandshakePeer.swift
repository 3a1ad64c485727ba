/// Who is on the other end of a connection once its handshake succeeded.
public struct HandshakePeer: Sendable, Equatable {
    public var role: _ProtoPeerRole
    public var name: String
    public var protocolVersion: UInt32

    public init(role: _ProtoPeerRole, name: String, protocolVersion: UInt32) {
        self.role = role
        self.name = name
        self.protocolVersion = protocolVersion
    }
}
