
/// An operator that reports the counters its kind declares (`OperatorKindDeclaration.metrics`):
/// the TaskManager exports `sluice_operator_events_total{event}` for each declared event by
/// asking `count(of:)`, so the list of counters lives in the declaration only.
///
/// Called on the task thread (the TaskManager copies the values at its flush ticks).
public protocol CountingOperator: AnyObject {
    /// The current value of the declared counter `event`; nil for an event it does not know.
    func count(of event: String) -> Int?
}
