/// Version facts shared by every process, the wire handshake and the REST API.
public enum SluiceVersion {
    /// The release of the engine, reported as `flink-version` by the REST API.
    public static let engine = "0.1.0"
    /// The control-plane protocol version; a peer with another one is refused at the handshake.
    public static let protocolVersion: UInt32 = 1
}
