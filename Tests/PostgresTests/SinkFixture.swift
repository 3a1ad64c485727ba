import Foundation
import Logging
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluicePostgres
import SluiceTestSupport
import Testing

/// One sink table and one job lineage per test, on the suite's PostgreSQL server, so tests
/// sharing the server never see each other's rows, prepared transactions or fences.
///
/// Builds sinks the way a TaskManager would (an `OperatorContext` with attempt, checkpointing,
/// restored state and completion listeners) and reads the table from a connection of its own,
/// which sees only committed rows. Used on the test's thread.
struct SinkFixture {
    let table: String
    let lineage: String
    let reader: PostgresConnection
    private let url: String

    /// Creates `public.<name>` with the columns of `commerce.attributed_checkouts` (cluster/schema.sql).
    /// Schema-qualified: once the sink created schema `sluice`, role `sluice`'s search path
    /// (`"$user", public`) would put an unqualified table there.
    init(table name: String) throws {
        let server = try #require(PostgresServerTrait.current, "the suite needs the .postgresServer trait")
        self.table = "public.\(name)"
        self.lineage = "lineage-\(name)"
        self.url = server.url
        reader = try PostgresServerTrait.connect()
        try reader.simpleQuery("""
            CREATE TABLE \(table) (
                checkout_id TEXT PRIMARY KEY, user_name TEXT, click_id TEXT, product_id TEXT NOT NULL, payment_method TEXT,
                total_amount NUMERIC(12, 2), shipping_address TEXT, billing_address TEXT, user_agent TEXT, ip_address TEXT,
                checkout_time TIMESTAMP(3) NOT NULL, click_time TIMESTAMP(3), user_id BIGINT NOT NULL)
            """)
    }

    /// A sink of this fixture's lineage, opened. `params` add to (or override) the table and URL.
    func openSink(attempt: UInt32 = 1, subtask: Int = 0, checkpointing: Bool = true, restoring states: [[UInt8]] = [],
                  params: [String: String] = [:], listeners: CheckpointListeners = CheckpointListeners()) throws -> PostgresSinkOperator {
        let sink = PostgresSinkOperator()
        try sink.open(context: context(attempt: attempt, subtask: subtask, checkpointing: checkpointing, restoring: states,
                                       params: params, listeners: listeners))
        return sink
    }

    func context(attempt: UInt32 = 1, subtask: Int = 0, checkpointing: Bool = true, restoring states: [[UInt8]] = [],
                 params: [String: String] = [:], listeners: CheckpointListeners = CheckpointListeners()) -> OperatorContext {
        var logger = Logger(label: "sluice.test.sink")
        logger[metadataKey: "attempt"] = "\(attempt)"
        return OperatorContext(
            jobID: "job-\(attempt)", jobName: "sink-test", attempt: attempt, vertexID: "sink", operatorID: "sink", subtask: subtask,
            parallelism: subtask + 1, maxParallelism: 128, keyGroups: KeyGroupRange.forSubtask(subtask, parallelism: subtask + 1, maxParallelism: 128),
            eventTime: .init(), params: ["table": table, "key": "checkout_id"].merging(params) { $1 }, keyedState: nil,
            sideOutputs: PostgresSideOutputs(url: nil, logger: logger), environment: OperatorEnvironment(kafkaBootstrap: nil, postgresURL: url),
            logger: logger, lineage: lineage, checkpointing: checkpointing,
            restored: RestoredOperatorState(checkpointID: states.isEmpty ? nil : 1, states: states), checkpointListeners: listeners,
            inputSchemas: [AttributionSchemas.enriched])
    }

    /// A row committed before the sink writes (a re-run over a full table, a replay).
    func insertCommitted(checkoutID: String, clickID: String?) throws {
        try reader.execute("""
            INSERT INTO \(table) (checkout_id, click_id, product_id, checkout_time, user_id)
            VALUES ($1, $2, 'p-1', '2023-11-14 22:13:20', 7)
            """, [checkoutID, clickID])
    }

    /// Committed rows as checkout id → click id ("-" for no click).
    func visibleRows() throws -> [String: String] {
        let result = try reader.execute("SELECT checkout_id, coalesce(click_id, '-') FROM \(table)")
        return Dictionary(result.rows.map { ($0[0] ?? "", $0[1] ?? "") }) { $1 }
    }

    /// The prepared transactions of this fixture's lineage still waiting for a commit.
    func preparedGIDs() throws -> [String] {
        try reader.preparedTransactionIDs(withPrefix: "sluice:\(lineage):")
    }

    /// Waits for the committer (asynchronous) to make exactly `rows` visible.
    func waitForRows(_ rows: [String: String]) async throws {
        try await waitUntil("\(table) holds \(rows)") { try visibleRows() == rows }
    }

    /// One epoch end to end: writes `rows`, takes barrier `checkpointID`, completes that
    /// checkpoint and waits until the table holds exactly `expected`.
    func commitEpoch(_ rows: [(String, String?)], through sink: PostgresSinkOperator, checkpointID: UInt64,
                     listeners: CheckpointListeners, expecting expected: [String: String]) async throws {
        try sink.process(Self.rows(rows))
        _ = try sink.snapshotState(checkpointID: checkpointID)
        listeners.checkpointCompleted(checkpointID)
        try await waitForRows(expected)
    }

    /// Enriched attributed checkout rows (`AttributionSchemas.enriched`, what the attribution
    /// job's sink receives) from a table of (checkout id, click id or nil).
    static func rows(_ table: [(String, String?)]) -> [StreamRecord] {
        let layout = RowLayout(AttributionSchemas.enriched)
        let schema = layout.schema
        var builder = RowBuilder(layout)
        return table.map { checkoutID, clickID in
            for column in schema.columns.indices where layout.slots[column] == .variable { builder.setString(column, "") }
            builder.setString(schema.index(of: "checkout_id")!, checkoutID)
            builder.setInt64(schema.index(of: "user_id")!, 7)
            builder.setString(schema.index(of: "product_id")!, "p-1")
            builder.setDecimal(schema.index(of: "total_amount")!, Decimal64(unscaled: 1250, scale: 2))
            builder.setInt64(schema.index(of: "checkout_time")!, 1_700_000_000_000)
            builder.setString(schema.index(of: "user_name")!, "ada")
            if let clickID {
                builder.setString(schema.index(of: "click_id")!, clickID)
                builder.setInt64(schema.index(of: "click_time")!, 1_699_999_990_000)
            } else {
                builder.setNull(schema.index(of: "click_id")!)
                builder.setNull(schema.index(of: "click_time")!)
            }
            return RowRecord(row: try! builder.finish(), eventTime: 1_700_000_000_000)
        }
    }
}

/// Discards what a sink emits (sinks emit nothing).
final class DiscardingOutput: RecordOutput {
    func emit(_ record: StreamRecord) throws {}
}

extension PostgresSinkOperator {
    /// Hands `records` to the sink as the task thread would.
    func process(_ records: [StreamRecord]) throws {
        let output = DiscardingOutput()
        for record in records { try processRecord(record, input: 0, output: output) }
    }
}
