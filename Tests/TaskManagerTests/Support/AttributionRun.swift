import Logging
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceTaskManager
import Testing

/// One `FirstClickAttributionOperator` over a real `RocksDBStateBackend`, fed a scripted input,
/// recording what it emits (rows and late events). Test helper; one thread.
final class AttributionRun: RecordOutput, SideOutputs {
    /// A click, a checkout or a watermark, as the task runtime hands them to the operator
    /// (the records as rows on their input, as the sources make them).
    enum Step {
        case click(Click)
        case checkout(Checkout)
        case watermark(Int64)

        /// The key the exchange routes the record by (nil for a watermark).
        var key: (user: Int64, product: String)? {
            switch self {
            case .click(let click): (click.userID, click.productID)
            case .checkout(let checkout): (checkout.userID, checkout.productID)
            case .watermark: nil
            }
        }
    }

    /// A late click or checkout as the operator hands it to the side output.
    struct Late: Hashable, Comparable {
        var kind: String
        var id: String
        var eventTime: Int64

        static func < (lhs: Late, rhs: Late) -> Bool { (lhs.kind, lhs.id, lhs.eventTime) < (rhs.kind, rhs.id, rhs.eventTime) }
    }

    let backend: RocksDBStateBackend
    let attribution = FirstClickAttributionOperator()
    private(set) var rows: [AttributedCheckout] = []
    private(set) var late: [Late] = []
    private var inputRows = AttributionInputRows()

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
            case .click(let click): try attribution.processRecord(inputRows.row(click), input: 0, output: self)
            case .checkout(let checkout): try attribution.processRecord(inputRows.row(checkout), input: 1, output: self)
            case .watermark(let watermark): try attribution.processWatermark(watermark, output: self)
            }
        }
    }

    /// What the runtime does at the end of a bounded input.
    func finish() throws {
        try attribution.processWatermark(.max, output: self)
        try attribution.finish(output: self)
    }

    /// Rows come back as the `AttributedCheckout`s they hold (amounts as decimal text).
    func emit(_ record: StreamRecord) throws {
        rows.append(AttributedCheckout(row: record.row, layout: Self.layout))
    }

    private static let layout = RowLayout(AttributionSchemas.attributed)

    /// `rows` as the operator emits them: through the row and back (the amount's text normalized).
    static func normalized(_ rows: [AttributedCheckout]) throws -> [AttributedCheckout] {
        var builder = AttributedRowBuilder()
        return try rows.map { AttributedCheckout(row: try builder.row($0).row, layout: layout) }
    }

    func deadLetter(topic: String, partition: Int32, offset: Int64, payload: some Collection<UInt8>, reason: String) throws {}

    func sideRow(_ values: [String?], into table: SideTable) throws {
        #expect(table.name == "commerce.late_events" && values.count == table.columns.count)
        let kind = values[0] ?? "", id = values[1] ?? ""
        late.append(Late(kind: kind, id: id, eventTime: (try? EventTimeFormat.parse(values[4] ?? "")) ?? .min))
    }

    func lateRow(json: String, operatorID: String, eventTime: Int64, watermark: Int64, reason: String) throws {
        Issue.record("the attribution operator handed a late row: \(json)")
    }

    func flush() throws {}
}
