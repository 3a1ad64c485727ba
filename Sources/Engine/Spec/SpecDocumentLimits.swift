/// How large a job spec may be, in every dimension a hostile YAML document can grow. A real spec
/// is a few KB with a few hundred nodes; the limits leave a wide margin and keep the cost of the
/// worst accepted document to milliseconds and a few MB.
public struct SpecDocumentLimits: Sendable, Equatable {
    /// Bytes of the document (the REST body limit too: larger bodies get HTTP 413).
    public var maxBytes: Int
    /// Nesting of mappings and sequences.
    public var maxDepth: Int
    /// Nodes of the document with every alias expanded (a "billion laughs" document is 1 KB of
    /// text and billions of expanded nodes).
    public var maxNodes: Int
    /// Alias uses (`*name`).
    public var maxAliases: Int

    public init(maxBytes: Int = 256 * 1024, maxDepth: Int = 32, maxNodes: Int = 20_000, maxAliases: Int = 100) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxAliases = maxAliases
    }

    public static let standard = SpecDocumentLimits()
}
