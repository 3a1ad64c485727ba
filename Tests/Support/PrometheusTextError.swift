/// A `/metrics` body that is not valid Prometheus text exposition format.
public enum PrometheusTextError: Error, CustomStringConvertible {
    case malformedLine(number: Int, line: String, reason: String)

    public var description: String {
        switch self {
        case .malformedLine(let number, let line, let reason):
            return "line \(number) of the metrics text is not `name{label=\"value\",…} value`: \(reason): \(line) — "
                + "check how the endpoint renders (label values must escape \\\\, \\\" and \\n)"
        }
    }
}
