import SluiceEngine
import SluiceConnectorKinds

/// The PostgreSQL sink's delivery guarantee (its `delivery` parameter).
///
/// A value with no I/O. Invariant: exactly-once is only chosen when the job takes checkpoints,
/// because its rows become visible when a checkpoint completes.
enum SinkDelivery: String, Sendable, CaseIterable {
    /// Two-phase commit per checkpoint (`TwoPhaseCommitSink`).
    case exactlyOnce = "exactly-once"
    /// Autocommit upserts (`AutocommitSinkWriter`).
    case atLeastOnce = "at-least-once"

    static let parameter = PostgresSinkKind.delivery.name

    /// The guarantee `parameter` asks for; without it, exactly-once when the job checkpoints.
    static func resolve(_ parameter: String?, checkpointing: Bool, operatorID: String) throws -> SinkDelivery {
        guard let parameter else { return checkpointing ? .exactlyOnce : .atLeastOnce }
        guard let delivery = SinkDelivery(rawValue: parameter) else {
            let allowed = allCases.map(\.rawValue).joined(separator: " or ")
            throw OperatorError.configuration(operatorID, "parameter '\(Self.parameter)' must be \(allowed), got '\(parameter)'")
        }
        if delivery == .exactlyOnce && !checkpointing {
            throw OperatorError.configuration(operatorID, "delivery: exactly-once needs checkpoints: set checkpoints.interval-ms "
                                              + "in the job spec (e.g. 2000), or use delivery: at-least-once")
        }
        return delivery
    }
}
