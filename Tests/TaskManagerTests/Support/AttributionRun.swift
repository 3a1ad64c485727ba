import Logging
import SluiceOperators
import Testing
import SluiceTaskManager

/// One `FirstClickAttributionOperator` over a real `RocksDBStateBackend`, fed a scripted input,
/// recording what it emits (rows and late events). Test helper; one thread.
final class AttributionRun: RecordOutput, SideOutputs {
    /// A record or a watermark, as the task runtime hands them to the operator.
    enum Step {
        case record(StreamRecord)
        case watermark(Int64)
    }

    let backend: RocksDBStateBackend
    let attribution = FirstClickAttributionOperator()
    private(set) var rows: [AttributedCheckout] = []
    private(set) var late: [StreamRecord] = []

    init(backend: RocksDBStateBackend, subtask: Int = 0, parallelism: Int = 1, params: [String: String],
         restored: RestoredOperatorState = .none) throws {
        self.backend = backend
        let context = OperatorContext(
            jobID: "job", jobName: "attribution-test", attempt: 1, vertexID: "attribution", operatorID: "attribution",
            subtask: subtask, parallelism: parallelism, maxParallelism: 128, keyGroups: backend.keyGroups,
            eventTime: .init(allowedLatenessMillis: 0), params: params, keyedState: backend, sideOutputs: self,
            environment: OperatorEnvironment(kafkaBootstrap: nil, postgresURL: nil), logger: Logger(label: "attribution-test"),
            restored: restored)
        try attribution.open(context: context)
    }

    func feed(_ steps: some Sequence<Step>) throws {
        for step in steps {
            switch step {
            case .record(let record): try attribution.processRecord(record, input: 0, output: self)
            case .watermark(let watermark): try attribution.processWatermark(watermark, output: self)
            }
        }
    }

    /// What the runtime does at the end of a bounded input.
    func finish() throws {
        try attribution.processWatermark(.max, output: self)
        try attribution.finish(output: self)
    }

    func emit(_ record: StreamRecord) throws {
        guard case .attributed(let row) = record else { return }
        rows.append(row)
    }

    func deadLetter(topic: String, partition: Int32, offset: Int64, payload: some Collection<UInt8>, reason: String) throws {}

    func lateEvent(_ record: StreamRecord, watermark: Int64, reason: String) throws {
        late.append(record)
    }

    func lateRow(json: String, operatorID: String, eventTime: Int64, watermark: Int64, reason: String) throws {
        Issue.record("the attribution operator handed a late row: \(json)")
    }

    func flush() throws {}
}
