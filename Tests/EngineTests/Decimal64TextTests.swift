import SluiceEngine
import Testing

@Suite struct Decimal64TextTests {
    @Test(arguments: [(1250, 2), (-1250, 2), (5, 2), (-5, 3), (0, 2), (0, 0), (-9_223_372_036_854_775_807, 4), (123, 0), (7, 18)])
    func appendedTextIsTheDescription(unscaled: Int64, scale: Int) {
        let value = Decimal64(unscaled: unscaled, scale: scale)
        var bytes: [UInt8] = Array("prefix".utf8)
        value.appendText(to: &bytes)
        #expect(String(decoding: bytes.dropFirst(6), as: UTF8.self) == value.description)
    }

    @Test func roundingParsesAsPostgreSQLsNumericInput() {
        func parse(_ text: String, _ precision: Int = 12, _ scale: Int = 2) -> String? {
            Decimal64(rounding: text.utf8, precision: precision, scale: scale)?.description
        }
        #expect(parse("12.345") == "12.35")
        #expect(parse("-12.345") == "-12.35")
        #expect(parse("+0.005") == "0.01")
        #expect(parse("0.00499999") == "0.00")
        #expect(parse("1.2E3") == "1200.00")
        #expect(parse("125e-2") == "1.25")
        #expect(parse(".5") == "0.50")
        #expect(parse("5.") == "5.00")
        #expect(parse("000000000000000000000001.10") == "1.10")
        #expect(parse("9999999999.99") == "9999999999.99")
        #expect(parse("9999999999.995") == nil)
        #expect(parse("1e-100000") == "0.00")
        for bad in ["", "-", ".", "1..2", "1e", "1e+", "12a", "1 2", "e5", "1e100001"] { #expect(parse(bad) == nil, "\(bad)") }
    }
}
