/// A row as a JSON object with its schema's column names, as text: for late-row and error
/// records a person reads, never on the hot path (`RowJSONWriter` writes the bytes).
public enum RowJSONText {
    public static func render(_ row: Row, _ layout: RowLayout) -> String {
        var bytes: [UInt8] = []
        RowJSONWriter.write(row, layout, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
