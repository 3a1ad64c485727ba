import SluicePostgres
import Testing

/// The bytes of binary-format array parameters, checked against PostgreSQL's `array_recv`
/// layout without a server: header (ndim, has-null flag, element OID, length, lower bound),
/// then each element as a big-endian int32 length (−1 for NULL) and its bytes.
@Suite("PostgreSQL binary array encoding")
struct PostgresBinaryArrayTests {
    @Test("a text array holds UTF-8 bytes as they are; NULL is length −1 and sets the flag; empty is length 0")
    func textArrayLayout() throws {
        var array = PostgresTextArray()
        for text in ["a", nil, "", "ü\"{"] { try array.append(text) }
        let value = try array.parameter()
        #expect(value.typeOID == 1009)
        #expect(value.bytes == header(hasNull: true, elementOID: 25, count: 4)
                + int32(1) + [0x61] + int32(-1) + int32(0) + int32(4) + [0xC3, 0xBC, 0x22, 0x7B])
    }

    @Test("an int8 array holds 8 big-endian bytes per element, the flag clear without NULLs")
    func int8ArrayLayout() throws {
        var array = PostgresInt8Array()
        for number: Int64 in [1, -2, .max] { array.append(number) }
        let value = try array.parameter()
        #expect(value.typeOID == 1016)
        #expect(value.bytes == header(hasNull: false, elementOID: 20, count: 3)
                + int32(8) + int64(1) + int32(8) + int64(-2) + int32(8) + int64(.max))
    }

    @Test("a timestamp array counts microseconds since 2000-01-01, negative before it")
    func timestampArrayLayout() throws {
        var array = PostgresTimestampArray()
        for millis: Int64? in [946_684_800_000, 946_684_800_001, 0, nil, -1] { try array.append(epochMillis: millis) }
        let value = try array.parameter()
        #expect(value.typeOID == 1115)
        #expect(value.bytes == header(hasNull: true, elementOID: 1114, count: 5)
                + int32(8) + int64(0) + int32(8) + int64(1_000) + int32(8) + int64(-946_684_800_000_000)
                + int32(-1) + int32(8) + int64(-946_684_800_001_000))
    }

    @Test("an array without elements has no dimension")
    func emptyArrayHasNoDimension() throws {
        var array = PostgresTextArray()
        let value = try array.parameter()
        #expect(value.bytes == int32(0) + int32(0) + int32(25))
    }

    @Test("a refilled array holds only the new elements, as a fresh one would")
    func refilledArrayForgetsEarlierElements() throws {
        var reused = PostgresTextArray()
        for text in ["old", nil, "older"] { try reused.append(text) }
        _ = try reused.parameter()
        reused.removeAll()
        try reused.append("new")
        var fresh = PostgresTextArray()
        try fresh.append("new")
        let refilled = try reused.parameter(), expected = try fresh.parameter()
        #expect(reused.count == 1)
        #expect(refilled == expected, "neither the old elements nor their NULL flag remain")
    }

    @Test("a time whose microseconds overflow int64 is refused, not wrapped into another time")
    func overflowingTimeIsRefused() throws {
        var array = PostgresTimestampArray()
        try array.append(epochMillis: 0)
        for millis in [Int64.max, .min, Int64.max / 999] {
            #expect(throws: PostgresError.self) { try array.append(epochMillis: millis) }
        }
        #expect(array.count == 1, "a refused element adds nothing")
    }

    private func header(hasNull: Bool, elementOID: Int32, count: Int32) -> [UInt8] {
        int32(1) + int32(hasNull ? 1 : 0) + int32(elementOID) + int32(count) + int32(1)
    }

    private func int32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

    private func int64(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
}
