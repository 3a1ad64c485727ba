import SluiceEngine

/// The bytes a keyed exchange hashes and keyed state is stored under.
///
/// One definition for both: the record writer routes a record to the subtask whose key-group
/// range holds `keyGroup(bytes)`, and that subtask finds its state under the same bytes.
public enum RecordKey {
    /// Writes the key of an attribution record for `fields` into `bytes` (cleared first,
    /// capacity kept). A row's key is written by `RowKeyColumns`.
    public static func write(_ record: StreamRecord, fields: [String], into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        for field in fields {
            switch field {
            case "user_id":
                let id = UInt64(bitPattern: record.userID)
                for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: id >> UInt64(shift))) }
            case "product_id":
                var product = record.productID
                product.withUTF8 { bytes.append(contentsOf: $0) }
                bytes.append(0)  // separator, so ("1", "23") and ("12", "3") differ
            default:
                break  // refused at submission (`KindCatalog.exchangeKeyColumns`)
            }
        }
    }
}
