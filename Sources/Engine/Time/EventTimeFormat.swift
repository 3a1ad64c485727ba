/// The producers' event-time text, `YYYY-MM-DD HH:MM:SS.mmm` in UTC, to and from epoch
/// milliseconds.
///
/// Parsing accepts what real producers send for `datetime_occured`: `T` instead of the space,
/// no fraction, 1–6 fractional digits (cut — not rounded — to milliseconds, so `.9999` stays in
/// the same millisecond as `.999`), and an optional trailing `Z`. Anything else — other offsets,
/// out-of-range fields, 30 February — is refused, never normalised into another instant.
/// Formatting always writes the canonical 23-character form for years 0000–9999, which `parse`
/// reads back to the same value. Stateless and thread-safe.
public enum EventTimeFormat {
    static let millisPerDay: Int64 = 86_400_000

    /// `epochMillis` as `YYYY-MM-DD HH:MM:SS.mmm` (UTC).
    public static func format(_ epochMillis: Int64) -> String {
        let (days, millisOfDay) = epochMillis.floorDividedWithRemainder(by: millisPerDay)
        let date = CivilDate(daysSinceEpoch: days)
        let hour = millisOfDay / 3_600_000
        let minute = millisOfDay / 60_000 % 60
        let second = millisOfDay / 1_000 % 60
        let millis = millisOfDay % 1_000
        guard (0...9999).contains(date.year) else {
            // Outside the four-digit years the producers use; still readable, not re-parseable.
            return "\(date.year)-\(pad(Int(date.month), 2))-\(pad(Int(date.day), 2)) "
                + "\(pad(Int(hour), 2)):\(pad(Int(minute), 2)):\(pad(Int(second), 2)).\(pad(Int(millis), 3))"
        }
        return String(unsafeUninitializedCapacity: 23) { buffer in
            func put(_ value: Int64, digits: Int, at offset: Int) {
                var rest = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(date.year, digits: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(date.month, digits: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(date.day, digits: 2, at: 8)
            buffer[10] = UInt8(ascii: " ")
            put(hour, digits: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(minute, digits: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(second, digits: 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(millis, digits: 3, at: 20)
            return 23
        }
    }

    /// Epoch milliseconds of a `YYYY-MM-DD HH:MM:SS[.f{1,6}][Z]` text (`T` may replace the space).
    public static func parse(_ text: String) throws(EventTimeParseError) -> Int64 {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(EventTimeParseError) -> Int64 in try parse(utf8: UnsafeRawBufferPointer(utf8)) }
        }
        return try result.get()
    }

    /// Epoch milliseconds of the UTF-8 text in `bytes` (same grammar as `parse(_:)`).
    public static func parse(utf8 bytes: UnsafeRawBufferPointer) throws(EventTimeParseError) -> Int64 {
        func digits(_ start: Int, _ count: Int) throws(EventTimeParseError) -> Int64 {
            var value: Int64 = 0
            for index in start..<start + count {
                guard index < bytes.count else { throw malformed("ends early", bytes, at: index) }
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    throw malformed("expected a digit", bytes, at: index)
                }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func separator(_ index: Int, _ allowed: UInt8, or alternative: UInt8? = nil) throws(EventTimeParseError) {
            guard index < bytes.count else { throw malformed("ends early", bytes, at: index) }
            guard bytes[index] == allowed || bytes[index] == alternative else {
                let wanted = alternative.map { "'\(Character(Unicode.Scalar(allowed)))' or '\(Character(Unicode.Scalar($0)))'" }
                    ?? "'\(Character(Unicode.Scalar(allowed)))'"
                throw malformed("expected \(wanted)", bytes, at: index)
            }
        }

        let year = try digits(0, 4)
        try separator(4, UInt8(ascii: "-"))
        let month = try digits(5, 2)
        try separator(7, UInt8(ascii: "-"))
        let day = try digits(8, 2)
        try separator(10, UInt8(ascii: " "), or: UInt8(ascii: "T"))
        let hour = try digits(11, 2)
        try separator(13, UInt8(ascii: ":"))
        let minute = try digits(14, 2)
        try separator(16, UInt8(ascii: ":"))
        let second = try digits(17, 2)

        var index = 19
        var millis: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var fractionDigits = 0
            var scale: Int64 = 100
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                millis += Int64(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { throw malformed("expected a digit after '.'", bytes, at: index) }
            guard fractionDigits <= 6 else { throw .tooManyFractionDigits(fractionDigits) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") { index += 1 }
        guard index == bytes.count else { throw malformed("unexpected trailing text", bytes, at: index) }

        guard (1...12).contains(month) else { throw .monthOutOfRange(Int(month)) }
        guard (1...CivilDate.daysInMonth(year: year, month: month)).contains(day) else {
            throw .dayOutOfRange(year: Int(year), month: Int(month), day: Int(day))
        }
        guard hour <= 23 else { throw .hourOutOfRange(Int(hour)) }
        guard minute <= 59 else { throw .minuteOutOfRange(Int(minute)) }
        guard second <= 59 else { throw .secondOutOfRange(Int(second)) }

        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        return days * millisPerDay + ((hour * 60 + minute) * 60 + second) * 1_000 + millis
    }

    static func malformed(_ problem: String, _ bytes: UnsafeRawBufferPointer, at index: Int) -> EventTimeParseError {
        let found = index < bytes.count ? " at character \(index + 1)" : " after \(bytes.count) characters"
        return .malformed(detail: "\(problem)\(found), expected 'YYYY-MM-DD HH:MM:SS[.fff]'")
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}

extension Int64 {
    /// Quotient rounded towards −∞ and the matching non-negative remainder, so instants before
    /// 1970 land on the right calendar day.
    func floorDividedWithRemainder(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = self / divisor
        let remainder = self % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
