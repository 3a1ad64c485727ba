/// PostgreSQL's binary `numeric` form, from decimal text: 4 big-endian int16s — the number of
/// base-10000 digits, the weight (power of 10000) of the first one, the sign (0x0000 positive,
/// 0x4000 negative) and the display scale (decimal digits after the point) — then the digits.
/// This is what `numeric_send` writes and `numeric_recv` reads.
///
/// Stateless; the text is what `RecordFieldReader.decimal` accepts: `[+-]?digits[.digits][e[+-]digits]`,
/// the point and the digits on either side of it optional but not both.
public enum PostgresNumeric {
    /// The longest mantissa accepted, in decimal digits (amounts are far shorter; text beyond it
    /// is refused rather than half-converted).
    static let maxDigits = 1_000
    static let maxExponent = 100_000

    /// Appends the binary form of `text`; false, with `bytes` unchanged, when `text` is not such
    /// a decimal number or is outside what the binary form holds.
    public static func appendBinary(_ text: UnsafeRawBufferPointer, to bytes: inout [UInt8]) -> Bool {
        var index = 0
        var negative = false
        if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        let mantissaStart = index
        var integerDigits = 0
        while index < text.count, isDigit(text[index]) { index += 1; integerDigits += 1 }
        var fractionStart = index
        var fractionDigits = 0
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            fractionStart = index
            while index < text.count, isDigit(text[index]) { index += 1; fractionDigits += 1 }
        }
        guard integerDigits + fractionDigits > 0, integerDigits + fractionDigits <= maxDigits else { return false }
        var exponent = 0
        if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponentDigits = 0
            while index < text.count, isDigit(text[index]) {
                exponent = exponent * 10 + Int(text[index] - UInt8(ascii: "0"))
                guard exponent <= maxExponent else { return false }
                index += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return false }
            if exponentNegative { exponent = -exponent }
        }
        guard index == text.count else { return false }

        // The mantissa's digits in order, skipping the point: digit i has the decimal power
        // `point - 1 - i`, where `point` counts the digits before the decimal point.
        func digit(_ i: Int) -> Int {
            Int(text[i < integerDigits ? mantissaStart + i : fractionStart + i - integerDigits] - UInt8(ascii: "0"))
        }
        var first = 0
        var end = integerDigits + fractionDigits
        let point = integerDigits + exponent
        let displayScale = max(0, fractionDigits - exponent)
        while first < end, digit(first) == 0 { first += 1 }
        while end > first, digit(end - 1) == 0 { end -= 1 }
        guard displayScale <= 0x3FFF else { return false }

        guard first < end else {  // zero (PostgreSQL has no negative zero)
            appendInt16(0, to: &bytes)
            appendInt16(0, to: &bytes)
            appendInt16(0, to: &bytes)
            appendInt16(displayScale, to: &bytes)
            return true
        }
        let weight = floorDiv(point - 1 - first, 4)
        let lastGroup = floorDiv(point - end, 4)
        let groups = weight - lastGroup + 1
        guard weight <= Int(Int16.max), lastGroup >= Int(Int16.min) else { return false }
        appendInt16(groups, to: &bytes)
        appendInt16(weight, to: &bytes)
        appendInt16(negative ? 0x4000 : 0, to: &bytes)
        appendInt16(displayScale, to: &bytes)
        var group = weight
        var value = 0
        for i in first..<end {
            let power = point - 1 - i
            let groupOfDigit = floorDiv(power, 4)
            while groupOfDigit < group {
                appendInt16(value, to: &bytes)
                value = 0
                group -= 1
            }
            value += digit(i) * powersOfTen[power - 4 * group]
        }
        appendInt16(value, to: &bytes)
        return true
    }

    private static let powersOfTen = [1, 10, 100, 1_000]

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func floorDiv(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    private static func appendInt16(_ value: Int, to bytes: inout [UInt8]) {
        let word = UInt16(truncatingIfNeeded: value)
        bytes.append(UInt8(truncatingIfNeeded: word >> 8))
        bytes.append(UInt8(truncatingIfNeeded: word))
    }
}
