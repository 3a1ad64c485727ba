@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import SluicePostgres
import Testing

/// The exactly-once sink's pure parts, no server needed: transaction ids, the checkpointed list
/// of pending transactions, the `delivery` parameter and SQL literal quoting.
@Suite("Exactly-once sink state")
struct SinkTransactionStateTests {
    private func id(lineage: String = "job-1", operatorID: String = "sink", attempt: UInt32 = 3, subtask: Int = 1,
                    checkpoint: UInt64 = 42) -> SinkTransactionID {
        SinkTransactionID(lineage: lineage, operatorID: operatorID, attempt: attempt, subtask: subtask, checkpointID: checkpoint)
    }

    @Test("a gid names lineage, operator, attempt, subtask and checkpoint")
    func gidLayout() {
        #expect(id().gid == "sluice:job-1:sink:3:1:42")
        #expect(SinkTransactionID(gid: "sluice:job-1:sink:3:1:42") == id())
    }

    @Test("lineages and operator ids with separators, quotes and non-ASCII round-trip and stay SQL-literal safe")
    func awkwardNamesRoundTrip() throws {
        let awkward = id(lineage: "a:b%c", operatorID: "it's ünïcode\\")
        #expect(awkward.gid == "sluice:a%3Ab%25c:it%27s%20%C3%BCn%C3%AFcode%5C:3:1:42")
        #expect(SinkTransactionID(gid: awkward.gid) == awkward)
        #expect(SinkTransactionID.prefix(lineage: "a", operatorID: "b:c") != SinkTransactionID.prefix(lineage: "a:b", operatorID: "c"))
    }

    @Test("strings that are not canonical sink gids do not parse", arguments: [
        "", "sluice:job:sink:1:0", "other:job:sink:1:0:5", "sluice:job:sink:x:0:5", "sluice:job:sink:1:-1:5",
        "sluice:job:sink:01:0:5", "sluice:j%4:sink:1:0:5", "sluice:j%41:sink:1:0:5", "sluice:job:sink:1:0:5:6",
    ])
    func foreignGIDsDoNotParse(gid: String) {
        #expect(SinkTransactionID(gid: gid) == nil)
    }

    @Test("the longest gid is measured with the largest attempt and checkpoint id")
    func longestGID() {
        let bytes = SinkTransactionID.longestGIDBytes(lineage: "job-1", operatorID: "sink", subtask: 0)
        #expect(bytes == "sluice:job-1:sink:\(UInt32.max):0:\(UInt64.max)".utf8.count)
        #expect(SinkTransactionID.longestGIDBytes(lineage: String(repeating: "j", count: 170), operatorID: "sink", subtask: 0)
                > SinkTransactionID.maxBytes)
    }

    @Test("the pending list round-trips in order")
    func stateRoundTrips() throws {
        let pending = [id(checkpoint: 7), id(lineage: "x:y", checkpoint: 8)]
        #expect(try SinkStateCodec.decode(SinkStateCodec.encode(pending)) == pending)
        #expect(try SinkStateCodec.decode(SinkStateCodec.encode([])) == [])
    }

    @Test("corrupt state throws instead of trapping or committing a foreign gid")
    func corruptStateThrows() {
        let valid = SinkStateCodec.encode([id()])
        var foreign = BinaryWriter()
        foreign.write(SinkStateCodec.formatVersion)
        foreign.write(varint: 1)
        foreign.write("x'; DROP TABLE t; --")
        let cases: [[UInt8]] = [[], [9, 0], Array(valid.dropLast()), valid + [0], [SinkStateCodec.formatVersion, 0xff, 0xff, 0x7f], foreign.bytes]
        for bytes in cases {
            #expect(throws: ExactlyOnceSinkError.self, "\(bytes)") { try SinkStateCodec.decode(bytes) }
        }
    }

    @Test("delivery defaults to exactly-once with checkpointing and to at-least-once without")
    func deliveryDefaults() throws {
        #expect(try SinkDelivery.resolve(nil, checkpointing: true, operatorID: "sink") == .exactlyOnce)
        #expect(try SinkDelivery.resolve(nil, checkpointing: false, operatorID: "sink") == .atLeastOnce)
        #expect(try SinkDelivery.resolve("at-least-once", checkpointing: true, operatorID: "sink") == .atLeastOnce)
    }

    @Test("an unknown delivery names the allowed values")
    func unknownDeliveryIsRefused() {
        let error = #expect(throws: OperatorError.self) { try SinkDelivery.resolve("twice", checkpointing: true, operatorID: "sink") }
        #expect(error?.description.contains("exactly-once or at-least-once") == true)
    }

    @Test("the sink accepts the delivery parameter in job specs, with the values the sink resolves")
    func deliveryIsAKnownParameter() {
        let declared = PostgresSinkKind.declaration.parameter(SinkDelivery.parameter)
        #expect(declared?.type == .choice(SinkDelivery.allCases.map(\.rawValue)))
    }

    @Test("SQL literals double quotes, and backslashes behind an E prefix")
    func literalQuoting() {
        #expect(PostgresConnection.quoteLiteral("sluice:a:b:1:0:2") == "'sluice:a:b:1:0:2'")
        #expect(PostgresConnection.quoteLiteral("it's") == "'it''s'")
        #expect(PostgresConnection.quoteLiteral("a\\'b") == " E'a\\\\''b'")
    }
}
