import SluiceEngine
import Testing

@Suite struct Decimal64Tests {
    @Test(arguments: [("12.34", 1234), ("-0.5", -50), ("7", 700), ("+1.2", 120), ("0.00", 0), ("3.1000", 310)] as [(String, Int64)])
    func plainDecimalsParseToTheColumnsScale(_ text: String, _ unscaled: Int64) {
        #expect(Decimal64(text: Array(text.utf8), precision: 12, scale: 2) == Decimal64(unscaled: unscaled, scale: 2))
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "1e5", "12.345", "abc", "99999999999.00", " 1"])
    func anythingElseIsRefusedRatherThanRounded(_ text: String) {
        #expect(Decimal64(text: Array(text.utf8), precision: 12, scale: 2) == nil, "\(text)")
    }

    @Test func printingKeepsTheScale() {
        #expect(Decimal64(unscaled: 5, scale: 2).description == "0.05")
        #expect(Decimal64(unscaled: -1250, scale: 2).description == "-12.50")
        #expect(Decimal64(unscaled: 42, scale: 0).description == "42")
    }
}
