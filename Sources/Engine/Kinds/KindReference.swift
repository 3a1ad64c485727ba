/// The operator reference, rendered from a catalog's declarations: what `sluice kinds`
/// prints and what the README's "Operator reference" section holds (a test keeps the two equal).
public enum KindReference {
    /// Markdown: one section per kind with its inputs, output, keying, parameters, counters
    /// and other metric families.
    public static func markdown(_ catalog: KindCatalog) -> String {
        var out: [String] = []
        for kind in catalog.declarations {
            out.append("#### `\(kind.name)` (\(kind.role.rawValue))")
            out.append("")
            out.append(kind.summary)
            out.append("")
            for input in kind.inputs { out.append("- input `\(input.name)`: \(input.doc)") }
            out.append("- output: \(kind.output)")
            out.append("- keying: \(keying(kind))")
            if !kind.metrics.isEmpty {
                out.append("- counters (`sluice_operator_events_total{event}`): "
                           + kind.metrics.map { "`\($0.event)` (\($0.doc))" }.joined(separator: ", "))
            }
            for family in kind.measures { out.append("- \(family.shape.rawValue) `\(family.name)`: \(family.help)") }
            out.append("")
            if kind.parameters.isEmpty {
                out.append("No parameters.")
            } else {
                out.append("| parameter | type | default | |")
                out.append("|---|---|---|---|")
                for parameter in kind.parameters {
                    out.append("| `\(parameter.name)` | \(parameter.type) | \(defaultText(parameter)) | \(parameter.doc) |")
                }
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// Plain text for a terminal.
    public static func text(_ catalog: KindCatalog) -> String {
        var out: [String] = []
        for kind in catalog.declarations {
            out.append("\(kind.name) (\(kind.role.rawValue)): \(kind.summary)")
            for input in kind.inputs { out.append("  input \(input.name): \(plain(input.doc))") }
            out.append("  output: \(plain(kind.output))")
            out.append("  keying: \(keying(kind))")
            for parameter in kind.parameters {
                out.append("  params.\(parameter.name)  \(parameter.type), \(plain(defaultText(parameter)))")
                out.append("      \(plain(parameter.doc))")
            }
            for metric in kind.metrics { out.append("  counter \(metric.event): \(metric.doc)") }
            for family in kind.measures { out.append("  \(family.shape.rawValue) \(family.name): \(family.help)") }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    private static func keying(_ kind: OperatorKindDeclaration) -> String {
        if kind.role == .source { return "none (a source has no input to key)" }
        switch kind.keying {
        case .unkeyed: return "key-by optional (only picks a hash exchange)"
        case .keyed(let columns?): return "keyed state; key-by must be [\(columns.joined(separator: ", "))]"
        case .keyed(nil): return "keyed state; key-by required"
        }
    }

    private static func defaultText(_ parameter: ParameterDeclaration) -> String {
        switch parameter.requirement {
        case .required: "required"
        case .defaulted(let value): "`\(value)`"
        case .optional: "unset"
        }
    }

    /// Markdown's code quotes dropped, for a terminal.
    private static func plain(_ text: String) -> String { text.filter { $0 != "`" } }
}
