/// A gauge or histogram series family an operator kind reports beyond its event counters,
/// declared once with the kind (`OperatorKindDeclaration.measures`): the reference lists it and
/// the TaskManager exports readings under exactly this name and help text.
public struct MetricFamily: Sendable, Hashable {
    public enum Shape: String, Sendable {
        case gauge, histogram
    }

    /// The full Prometheus name, `sluice_…` with its unit.
    public var name: String
    public var shape: Shape
    public var help: String

    public init(_ name: String, _ shape: Shape, help: String) {
        self.name = name
        self.shape = shape
        self.help = help
    }
}
