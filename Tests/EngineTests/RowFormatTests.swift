import SluiceEngine
import SluiceTestSupport
import Testing

/// The binary row format: every type round-trips, NULLs are NULL, one column is read without
/// the others, and bytes that are not a row of the layout are refused, never trusted.
@Suite struct RowFormatTests {
    private static let schema = Schema(name: "all", columns: [
        Column("id", .int64), Column("price", .float64), Column("amount", .decimal(precision: 12, scale: 2)),
        Column("name", .string, nullable: true), Column("flag", .bool), Column("at", .timestamp),
        Column("blob", .bytes, nullable: true), Column("wide", .decimal(precision: 30, scale: 4), nullable: true),
        Column("note", .string),
    ], eventTime: "at")
    private static let layout = RowLayout(schema)

    @Test func everyTypeRoundTrips() throws {
        var builder = RowBuilder(Self.layout)
        builder.setInt64(0, -42)
        builder.setFloat64(1, 12.5)
        builder.setDecimal(2, Decimal64(unscaled: -1999, scale: 2))
        builder.setString(3, "Zoë \u{1F600}")
        builder.setBool(4, true)
        builder.setInt64(5, 1_700_000_000_123)
        builder.setVariable(6, [0, 255, 7])
        builder.setVariable(7, Array("12345678901234567890.1234".utf8))
        builder.setString(8, "")
        let row = try builder.finish()
        let layout = Self.layout
        #expect(row.int64(0, layout) == -42)
        #expect(row.float64(1, layout) == 12.5)
        #expect(row.decimal(2, layout).description == "-19.99")
        #expect(row.string(3, layout) == "Zoë \u{1F600}")
        #expect(row.bool(4, layout))
        #expect(row.int64(5, layout) == 1_700_000_000_123)
        #expect(row.withVariable(6, layout) { Array($0) } == [0, 255, 7])
        #expect(row.string(7, layout) == "12345678901234567890.1234")
        #expect(row.string(8, layout) == "")
        #expect((0..<9).allSatisfy { !row.isNull($0) })
        #expect(try Row(validating: row.bytes, layout: layout) == row)
    }

    @Test func unsetNullableColumnsAreNullAndUnsetRequiredOnesAreRefused() throws {
        var builder = RowBuilder(Self.layout)
        for index in [0, 1, 2, 4, 5, 8] { builder.setZero(index, layout: Self.layout) }
        let row = try builder.finish()
        #expect(row.isNull(3) && row.isNull(6) && row.isNull(7))
        var incomplete = RowBuilder(Self.layout)
        incomplete.setInt64(0, 1)
        let error = #expect(throws: RowFormatError.self) { try incomplete.finish() }
        #expect(error?.message.contains("price") == true)
    }

    @Test func aColumnIsReadAtAFixedOffsetWithoutTheOthers() throws {
        var builder = RowBuilder(Self.layout)
        builder.setZero(0, layout: Self.layout)
        for index in [1, 2, 4, 5, 8] { builder.setZero(index, layout: Self.layout) }
        builder.setInt64(5, 99)
        let row = try builder.finish()
        // The timestamp is the 6th slot: null bits (2 bytes) + 5 × 8.
        let offset = Self.layout.slotOffset(5)
        #expect(offset == 2 + 40)
        let raw = row.bytes[offset..<offset + 8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        #expect(raw == 99)
    }

    @Test func copyingColumnsBetweenLayoutsKeepsValuesAndNulls() throws {
        let narrow = RowLayout(Schema(name: "narrow", columns: [Column("name", .string, nullable: true), Column("id", .int64)]))
        var source = RowBuilder(Self.layout)
        for index in [0, 1, 2, 4, 5, 8] { source.setZero(index, layout: Self.layout) }
        source.setInt64(0, 7)
        let full = try source.finish()
        var target = RowBuilder(narrow)
        target.copy(0, from: full, column: 3, layout: Self.layout)
        target.copy(1, from: full, column: 0, layout: Self.layout)
        let copied = try target.finish()
        #expect(copied.isNull(0) && copied.int64(1, narrow) == 7)
    }

    /// `copyColumns` (one pass, for operators that widen rows) must give what copying column by
    /// column gives: the same bytes when the extra columns come after, the same values when one
    /// was set before (the copied variable part then lands after it).
    @Test func copyingAllColumnsAtOnceEqualsCopyingThemOneByOne() throws {
        var random = SplitMix64(seed: 20_261_208)
        let narrow = RowLayout(Schema(name: "narrow", columns: [
            Column("a", .int64, nullable: true), Column("b", .string, nullable: true), Column("c", .bool),
            Column("d", .bytes, nullable: true),
        ]))
        let wide = RowLayout(Schema(name: "wide", columns: narrow.schema.columns + [Column("e", .string), Column("f", .int64, nullable: true)]))
        #expect(wide.begins(with: narrow) && !narrow.begins(with: wide))
        #expect(!RowLayout(Schema(name: "other", columns: [Column("a", .string)])).begins(with: narrow))
        var source = RowBuilder(narrow), oneByOne = RowBuilder(wide), atOnce = RowBuilder(wide), extraFirst = RowBuilder(wide)
        for _ in 0..<300 {
            let nulls = random.next()
            let text = String(repeating: "x", count: Int(random.next() % 12))
            let blob = (0..<Int(random.next() % 9)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if nulls & 1 == 0 { source.setInt64(0, Int64(bitPattern: random.next())) }
            if nulls & 2 == 0 { source.setString(1, text) }
            source.setBool(2, nulls & 4 == 0)
            if nulls & 8 == 0 { source.setVariable(3, blob) }
            let row = try source.finish()
            for column in 0..<narrow.columnCount { oneByOne.copy(column, from: row, column: column, layout: narrow) }
            atOnce.copyColumns(of: row, layout: narrow)
            extraFirst.setString(4, "extra")
            extraFirst.copyColumns(of: row, layout: narrow)
            oneByOne.setString(4, "extra")
            atOnce.setString(4, "extra")
            let expected = try oneByOne.finish(), copied = try atOnce.finish()
            let shifted = try Row(validating: try extraFirst.finish().bytes, layout: wide)
            #expect(copied == expected)
            for column in 0..<wide.columnCount {
                #expect(shifted.isNull(column) == expected.isNull(column))
                if wide.slots[column] == .variable, !expected.isNull(column) {
                    #expect(shifted.withVariable(column, wide) { Array($0) } == expected.withVariable(column, wide) { Array($0) })
                } else {
                    #expect(shifted.int64(column, wide) == expected.int64(column, wide))
                }
            }
        }
    }

    @Test func bytesThatAreNotARowAreRefused() throws {
        var builder = RowBuilder(Self.layout)
        for index in [0, 1, 2, 4, 5] { builder.setZero(index, layout: Self.layout) }
        builder.setString(8, "note")
        let good = try builder.finish().bytes
        #expect(throws: RowFormatError.self) { try Row(validating: Array(good.prefix(10)), layout: Self.layout) }
        var pointsOutside = good
        let slot = Self.layout.slotOffset(8)
        pointsOutside[slot] = 200  // length byte of the note's reference
        #expect(throws: RowFormatError.self) { try Row(validating: pointsOutside, layout: Self.layout) }
        var badBool = good
        badBool[Self.layout.slotOffset(4)] = 2
        #expect(throws: RowFormatError.self) { try Row(validating: badBool, layout: Self.layout) }
        var strayNullBit = good
        strayNullBit[1] |= 0x80  // bit 15: there are only 9 columns
        #expect(throws: RowFormatError.self) { try Row(validating: strayNullBit, layout: Self.layout) }
    }

    @Test func randomRowsRoundTripThroughValidation() throws {
        var random = SplitMix64(seed: 20_261_207)
        let layout = RowLayout(Schema(name: "r", columns: [
            Column("a", .int64, nullable: true), Column("b", .string, nullable: true), Column("c", .float64, nullable: true),
            Column("d", .bytes, nullable: true),
        ]))
        var builder = RowBuilder(layout)
        for _ in 0..<500 {
            let a = Int64(bitPattern: random.next())
            let b = String((0..<Int(random.next() % 20)).map { _ in Character(Unicode.Scalar(UInt8(97 + random.next() % 26))) })
            let c = Double(Int64(bitPattern: random.next() >> 11)) / 3
            let d = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let nulls = random.next()
            if nulls & 1 == 0 { builder.setInt64(0, a) }
            if nulls & 2 == 0 { builder.setString(1, b) }
            if nulls & 4 == 0 { builder.setFloat64(2, c) }
            if nulls & 8 == 0 { builder.setVariable(3, d) }
            let row = try Row(validating: try builder.finish().bytes, layout: layout)
            #expect(row.isNull(0) == (nulls & 1 != 0) && (row.isNull(0) || row.int64(0, layout) == a))
            #expect(row.isNull(1) == (nulls & 2 != 0) && (row.isNull(1) || row.string(1, layout) == b))
            #expect(row.isNull(2) == (nulls & 4 != 0) && (row.isNull(2) || row.float64(2, layout) == c))
            #expect(row.isNull(3) == (nulls & 8 != 0) && (row.isNull(3) || row.withVariable(3, layout) { Array($0) } == d))
        }
    }
}

extension RowBuilder {
    /// Sets a column to its type's zero (for rows where only some columns matter).
    fileprivate mutating func setZero(_ index: Int, layout: RowLayout) {
        switch layout.schema.columns[index].type {
        case .float64: setFloat64(index, 0)
        case .bool: setBool(index, false)
        case .string, .bytes: setString(index, "")
        case .decimal(let precision, _) where precision > Decimal64.maxPrecision: setString(index, "0")
        case .decimal(_, let scale): setDecimal(index, Decimal64(unscaled: 0, scale: scale))
        case .int64, .timestamp: setInt64(index, 0)
        }
    }
}
