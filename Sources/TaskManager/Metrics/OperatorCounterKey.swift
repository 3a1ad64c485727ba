/// One operator counter of a task: which operator of the chain, which event it counts
/// (`attributed`, `unattributed`, `late`, `dead_lettered`, `cache_hits`, …).
struct OperatorCounterKey: Hashable, Sendable {
    var operatorID: String
    var event: String
}
