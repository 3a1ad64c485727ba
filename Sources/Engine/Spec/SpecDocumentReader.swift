import Yams

/// Reads a YAML job spec into plain values (`[String: Any]`, `[Any]`, scalars) within
/// `SpecDocumentLimits`, so a hostile document costs bounded time and memory.
///
/// Why not `Yams.load`: it expands every alias while it builds the values, so a 1 KB alias bomb
/// grew the JobManager to 18 GB. Here the document is first checked as text (size, and flow
/// nesting, which Yams' recursive composer would otherwise follow into a stack overflow), then
/// composed into nodes, where an alias shares its anchor's node (linear in the text), then walked
/// counting nodes as if every alias were expanded — stopping at the limit, so the walk is
/// bounded too — and only then turned into values. Pure and stateless: call from any thread.
public enum SpecDocumentReader {
    public static func read(_ text: String, limits: SpecDocumentLimits = .standard) throws(JobSpecError) -> Any? {
        let size = text.utf8.count
        guard size <= limits.maxBytes else {
            throw JobSpecError("(document)", "\(size) bytes is over the limit of \(limits.maxBytes) bytes for a job spec")
        }
        let scan = TextScan(text)
        guard scan.flowDepth <= limits.maxDepth else {
            throw JobSpecError("(document)", "nested more than \(limits.maxDepth) levels deep; a job spec needs a handful")
        }
        guard scan.aliases <= limits.maxAliases else {
            throw JobSpecError("(document)", "more than \(limits.maxAliases) aliases; write the values out")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw JobSpecError("(document)", "not valid YAML: \(error)")
        }
        guard let root else { return nil }
        var walk = Walk(limits: limits)
        try walk.visit(root, depth: 1)
        return Constructor.default.any(from: root)
    }

    /// What the text shows before any parsing: the deepest nesting of flow collections (`[`, `{`)
    /// and the alias uses (`*name` where a node starts), outside quotes and comments. Both are
    /// over-estimates at worst (a bracket or ` *` inside a plain scalar counts), which only matter
    /// past a limit; block nesting needs a deeper indentation per level, so the size limit bounds it.
    struct TextScan {
        var flowDepth = 0
        var aliases = 0

        init(_ text: String) {
            var depth = 0
            var quote: UInt8?
            var comment = false
            var previous = UInt8(ascii: "\n")
            for byte in text.utf8 {
                defer { previous = byte }
                if comment {
                    if byte == UInt8(ascii: "\n") { comment = false }
                    continue
                }
                if let open = quote {
                    if byte == open { quote = nil }
                    continue
                }
                let afterSpace = previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\n") || previous == UInt8(ascii: "\t")
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
                case UInt8(ascii: "#") where afterSpace: comment = true
                case UInt8(ascii: "*") where afterSpace || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{")
                    || previous == UInt8(ascii: ","):
                    aliases += 1
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    flowDepth = max(flowDepth, depth)
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
                default: break
                }
            }
        }
    }

    /// Counts the composed tree's nodes as expanded, refusing at the first limit passed (an
    /// alias is its anchor's node again, so the count is that of the expanded document).
    private struct Walk {
        let limits: SpecDocumentLimits
        var nodes = 0

        init(limits: SpecDocumentLimits) {
            self.limits = limits
        }

        mutating func visit(_ node: Node, depth: Int) throws(JobSpecError) {
            nodes += 1
            guard nodes <= limits.maxNodes else {
                throw JobSpecError("(document)", "more than \(limits.maxNodes) values once its aliases are expanded; a job spec has a few hundred")
            }
            guard depth <= limits.maxDepth else {
                throw JobSpecError("(document)", "nested more than \(limits.maxDepth) levels deep; a job spec needs a handful")
            }
            switch node {
            case .scalar, .alias:
                break
            case .mapping(let mapping):
                for (key, value) in mapping {
                    try visit(key, depth: depth + 1)
                    try visit(value, depth: depth + 1)
                }
            case .sequence(let sequence):
                for element in sequence { try visit(element, depth: depth + 1) }
            }
        }
    }
}
