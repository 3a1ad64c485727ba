import SluiceEngine

/// `blackhole-sink`: takes any rows and discards them (benchmarks, dry runs).
public enum BlackholeSinkKind {
    public static let declaration = OperatorKindDeclaration(
        name: "blackhole-sink", role: .sink,
        summary: "Discards every row (for benchmarks and dry runs).",
        inputs: [.init("rows", doc: "any schema")],
        output: "none (a sink)",
        schemaRule: { _ in nil })
}
