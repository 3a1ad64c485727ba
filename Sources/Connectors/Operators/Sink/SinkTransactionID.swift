import SluiceEngine
/// The PostgreSQL global transaction id (gid) of one epoch's prepared transaction:
/// `sluice:<lineage>:<operator>:<attempt>:<subtask>:<checkpoint>`.
///
/// A value with no I/O, used on any thread. Invariants: lineage and operator id are
/// percent-encoded outside `[A-Za-z0-9._-]`, so a gid has exactly six `:`-separated parts,
/// parses back to the same value, can never be mistaken for another operator's (whatever its
/// id contains), and is safe inside an SQL literal. The lineage outlives job ids, so a restored
/// job finds the transactions its predecessor prepared.
struct SinkTransactionID: Hashable, Sendable {
    /// PostgreSQL keeps gids in 200 bytes including the terminating NUL.
    static let maxBytes = 199

    var lineage: String
    var operatorID: String
    var attempt: UInt32
    var subtask: Int
    var checkpointID: UInt64

    var gid: String {
        Self.prefix(lineage: lineage, operatorID: operatorID) + "\(attempt):\(subtask):\(checkpointID)"
    }

    /// What every gid of one sink (all attempts, all subtasks) starts with.
    static func prefix(lineage: String, operatorID: String) -> String {
        "sluice:\(escape(lineage)):\(escape(operatorID)):"
    }

    /// The longest gid the sink can produce, in bytes (largest attempt and checkpoint id).
    static func longestGIDBytes(lineage: String, operatorID: String, subtask: Int) -> Int {
        SinkTransactionID(lineage: lineage, operatorID: operatorID, attempt: .max, subtask: subtask, checkpointID: .max).gid.utf8.count
    }

    init(lineage: String, operatorID: String, attempt: UInt32, subtask: Int, checkpointID: UInt64) {
        self.lineage = lineage
        self.operatorID = operatorID
        self.attempt = attempt
        self.subtask = subtask
        self.checkpointID = checkpointID
    }

    /// Parses a gid this type wrote; nil for anything else (another tool's gid, a corrupt one).
    init?(gid: String) {
        let parts = gid.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "sluice",
              let lineage = Self.unescape(parts[1]), let operatorID = Self.unescape(parts[2]),
              let attempt = UInt32(parts[3]), let subtask = Int(parts[4]), subtask >= 0,
              let checkpointID = UInt64(parts[5]) else { return nil }
        self.init(lineage: lineage, operatorID: operatorID, attempt: attempt, subtask: subtask, checkpointID: checkpointID)
        // Refuse non-canonical spellings ("01", "%41"), so one transaction has exactly one gid.
        guard self.gid == gid else { return nil }
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isPlain(byte) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        hexDigits.firstIndex(of: digit).map { UInt8($0) }
    }
}
