import CLibCrypto

/// The HMAC-SHA256 proofs of the handshake (see proto/sluice/v1/control.proto).
///
/// Each side proves it knows the cluster secret by a MAC over both nonces, so the secret itself
/// never crosses the wire and a recorded exchange cannot be replayed (the other side's nonce is
/// fresh each time). The labels keep a server proof from being reflected as a client proof.
public struct HandshakeProof: Sendable {
    public static let nonceLength = 32
    private let key: [UInt8]
    private let clusterID: [UInt8]

    public init(secret: String, clusterID: String) {
        key = Array(secret.utf8)
        self.clusterID = Array(clusterID.utf8)
    }

    public func serverProof(clientNonce: [UInt8], serverNonce: [UInt8]) -> [UInt8] {
        Self.hmacSHA256(key: key, message: Array("sluice-server".utf8) + clientNonce + serverNonce + clusterID)
    }

    public func clientProof(clientNonce: [UInt8], serverNonce: [UInt8]) -> [UInt8] {
        Self.hmacSHA256(key: key, message: Array("sluice-client".utf8) + serverNonce + clientNonce + clusterID)
    }

    /// Compares in constant time, so a forger learns nothing from response timing.
    public static func matches(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 } }
    }

    public static func makeNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<nonceLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outputLength: UInt32 = 0
        key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                output.withUnsafeMutableBufferPointer { out in
                    _ = HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                             messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                             out.baseAddress, &outputLength)
                }
            }
        }
        return Array(output.prefix(Int(outputLength)))
    }
}
