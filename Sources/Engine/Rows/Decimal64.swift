/// An exact decimal of up to 18 digits: `unscaled × 10^-scale`. The row format keeps decimals
/// of precision ≤ 18 this way (sums stay exact, comparisons are integer comparisons).
public struct Decimal64: Sendable, Hashable, CustomStringConvertible {
    public static let maxPrecision = 18

    public var unscaled: Int64
    public var scale: Int

    public init(unscaled: Int64, scale: Int) {
        self.unscaled = unscaled
        self.scale = scale
    }

    /// Parses `-12.5`, `7`, `0.125` into `scale` digits after the point; nil when the text is
    /// not a plain decimal, has more fraction digits than `scale` allows (no silent rounding)
    /// or does not fit `precision` digits.
    public init?<Bytes: Collection<UInt8>>(text: Bytes, precision: Int, scale: Int) {
        var negative = false
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        var anyDigit = false
        var value: Int64 = 0
        var index = text.startIndex
        if index != text.endIndex, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            negative = text[index] == UInt8(ascii: "-")
            index = text.index(after: index)
        }
        guard index != text.endIndex else { return nil }
        while index != text.endIndex {
            let byte = text[index]
            index = text.index(after: index)
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            anyDigit = true
            if seenPoint {
                fractionDigits += 1
                guard fractionDigits <= scale else {
                    guard byte == UInt8(ascii: "0") else { return nil }  // trailing zeros beyond the scale are exact
                    continue
                }
            } else if integerDigits > 0 || byte != UInt8(ascii: "0") {
                integerDigits += 1
            }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = plus
        }
        guard anyDigit, integerDigits <= precision - scale else { return nil }
        for _ in min(fractionDigits, scale)..<scale {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = times
        }
        self.init(unscaled: negative ? -value : value, scale: scale)
    }

    /// `-12.50` for unscaled -1250, scale 2.
    public var description: String {
        let magnitude = unscaled.magnitude
        var digits = String(magnitude)
        guard scale > 0 else { return unscaled < 0 ? "-" + digits : digits }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return (unscaled < 0 ? "-" : "") + digits[..<point] + "." + digits[point...]
    }
}
