import SluiceEngine
import Testing

/// Rows as JSON: the `kafka-sink`'s record format and the text of late rows.
@Suite struct RowJSONWriterTests {
    static let layout = RowLayout(Schema(name: "t", columns: [
        Column("id", .int64), Column("name", .string, nullable: true), Column("amount", .decimal(precision: 10, scale: 2)),
        Column("ok", .bool), Column("at", .timestamp), Column("ratio", .float64), Column("raw", .bytes),
        Column("big", .decimal(precision: 30, scale: 4)),
    ]))

    private func row(id: Int64, name: String?) throws -> Row {
        var builder = RowBuilder(Self.layout)
        builder.setInt64(0, id)
        if let name { builder.setString(1, name) } else { builder.setNull(1) }
        builder.setDecimal(2, Decimal64(unscaled: -1999, scale: 2))
        builder.setBool(3, true)
        builder.setInt64(4, 1_764_000_000_123)
        builder.setFloat64(5, 0.5)
        builder.setVariable(6, [0, 255, 7])
        builder.setVariable(7, Array("12345678901234567890.1234".utf8))
        return try builder.finish()
    }

    private func json(_ row: Row, columns: [Int]? = nil) -> String {
        var out: [UInt8] = []
        RowJSONWriter.write(row, Self.layout, columns: columns, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func everyTypeIsWrittenAsDocumented() throws {
        #expect(json(try row(id: -42, name: "a \"quoted\" \\ name\n\u{1}é")) == #"""
            {"id":-42,"name":"a \"quoted\" \\ name\n\u0001é","amount":-19.99,"ok":true,"at":1764000000123,"ratio":0.5,"raw":"00ff07","big":12345678901234567890.1234}
            """#)
        #expect(json(try row(id: .min, name: nil)).hasPrefix(#"{"id":-9223372036854775808,"name":null,"#))
        #expect(json(try row(id: .max, name: "")).hasPrefix(#"{"id":9223372036854775807,"name":"","#))
    }

    @Test func aKeyIsTheChosenColumnsInTheirOrder() throws {
        #expect(json(try row(id: 7, name: "x"), columns: [1, 0]) == #"{"name":"x","id":7}"#)
    }

    @Test func theTextFormIsTheSameBytes() throws {
        let value = try row(id: 3, name: "ü")
        #expect(RowJSONText.render(value, Self.layout) == json(value))
    }
}
