import SluiceEngine
/// The checkpointed positions of a Kafka source subtask, and how they are encoded.
///
/// Format: version byte 1, count, then per partition: partition, next offset (−1 = none read),
/// end offset (−1 = unbounded). Merging the states of all old subtasks gives every partition's
/// position; partitions are disjoint between subtasks, so no two states name the same one.
enum KafkaSourceState {
    struct Offsets: Equatable {
        var next: Int64
        var end: Int64?
    }

    static let version: UInt8 = 1

    static func encode(_ offsets: [Int32: Offsets]) -> [UInt8] {
        var writer = BinaryWriter(capacity: 16 + offsets.count * 12)
        writer.write(version)
        writer.write(varint: UInt64(offsets.count))
        for (partition, position) in offsets.sorted(by: { $0.key < $1.key }) {
            writer.write(varint: UInt64(partition))
            writer.write(signed: position.next)
            writer.write(signed: position.end ?? -1)
        }
        return writer.bytes
    }

    static func merge(_ states: [[UInt8]], operatorID: String) throws -> [Int32: Offsets] {
        var merged: [Int32: Offsets] = [:]
        for state in states {
            do {
                try state.withUnsafeBytes { bytes in
                    var reader = BinaryReader(bytes)
                    let found = try reader.readByte()
                    guard found == version else {
                        throw OperatorError.configuration(operatorID, "checkpointed Kafka offsets have format \(found), this build reads \(version)")
                    }
                    for _ in 0..<(try reader.readVarint()) {
                        let partition = Int32(truncatingIfNeeded: try reader.readVarint())
                        let next = try reader.readSigned()
                        let end = try reader.readSigned()
                        merged[partition] = Offsets(next: next, end: end >= 0 ? end : nil)
                    }
                }
            } catch let error as OperatorError {
                throw error
            } catch {
                throw OperatorError.configuration(operatorID, "checkpointed Kafka offsets are corrupt: \(error)")
            }
        }
        return merged
    }
}
