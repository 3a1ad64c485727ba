import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

@Suite struct EventTimeFormatTests {
    @Test(arguments: [
        ("1970-01-01 00:00:00.000", Int64(0)),
        ("1969-12-31 23:59:59.999", -1),
        ("2024-05-01 10:00:00.000", 1_714_557_600_000),
        ("2000-03-01 00:00:00.000", 951_868_800_000),
        ("0000-01-01 00:00:00.000", -62_167_219_200_000),
        ("9999-12-31 23:59:59.999", 253_402_300_799_999),
    ])
    func canonicalTextParsesToKnownEpochMillis(text: String, millis: Int64) throws {
        #expect(try EventTimeFormat.parse(text) == millis)
        #expect(EventTimeFormat.format(millis) == text)
    }

    @Test(arguments: [
        "2024-05-01 10:00:00",
        "2024-05-01T10:00:00.000",
        "2024-05-01 10:00:00.0",
        "2024-05-01 10:00:00.000000",
        "2024-05-01T10:00:00Z",
        "2024-05-01 10:00:00.000Z",
    ])
    func acceptedSpellingsMeanTheSameInstant(text: String) throws {
        #expect(try EventTimeFormat.parse(text) == 1_714_557_600_000)
    }

    @Test(arguments: [("5", Int64(500)), ("12", 120), ("123", 123), ("1239", 123), ("999999", 999)])
    func fractionalSecondsAreCutToMilliseconds(fraction: String, millis: Int64) throws {
        #expect(try EventTimeFormat.parse("1970-01-01 00:00:00.\(fraction)") == millis)
    }

    @Test func leapDayExistsInLeapYears() throws {
        let leapDay = try EventTimeFormat.parse("2024-02-29 12:00:00.000")
        #expect(try EventTimeFormat.parse("2024-03-01 12:00:00.000") - leapDay == 86_400_000)
        #expect(try EventTimeFormat.parse("2000-02-29 00:00:00") > 0)
    }

    @Test(arguments: ["2023-02-29 00:00:00", "1900-02-29 00:00:00", "2100-02-29 00:00:00"])
    func leapDayIsRefusedInCommonYears(text: String) {
        #expect(throws: EventTimeParseError.self) { _ = try EventTimeFormat.parse(text) }
    }

    @Test func yearBoundaryIsOneMillisecondApart() throws {
        let last = try EventTimeFormat.parse("2023-12-31 23:59:59.999")
        #expect(try EventTimeFormat.parse("2024-01-01 00:00:00.000") == last + 1)
        #expect(EventTimeFormat.format(last + 1) == "2024-01-01 00:00:00.000")
    }

    @Test(arguments: [
        ("2024-13-01 10:00:00", EventTimeParseError.monthOutOfRange(13)),
        ("2024-00-10 10:00:00", .monthOutOfRange(0)),
        ("2024-04-31 10:00:00", .dayOutOfRange(year: 2024, month: 4, day: 31)),
        ("2024-01-32 10:00:00", .dayOutOfRange(year: 2024, month: 1, day: 32)),
        ("2024-01-00 10:00:00", .dayOutOfRange(year: 2024, month: 1, day: 0)),
        ("2024-01-01 24:00:00", .hourOutOfRange(24)),
        ("2024-01-01 23:60:00", .minuteOutOfRange(60)),
        ("2024-01-01 23:59:60", .secondOutOfRange(60)),
        ("2024-01-01 23:59:59.1234567", .tooManyFractionDigits(7)),
    ])
    func outOfRangeFieldsAreRefusedByName(text: String, error: EventTimeParseError) {
        #expect(throws: error) { _ = try EventTimeFormat.parse(text) }
    }

    @Test(arguments: [
        "", "2024-05-01", "2024-05-01 10:00", "2024/05/01 10:00:00", "2024-5-01 10:00:00", "2024-05-01 10:00:00.",
        "2024-05-01 10:00:00+02:00", "2024-05-01 10:00:00 ", " 2024-05-01 10:00:00", "2024-05-01x10:00:00",
        "１２３４-05-01 10:00:00",
    ])
    func malformedTextIsRefused(text: String) {
        #expect {
            _ = try EventTimeFormat.parse(text)
        } throws: { error in
            guard case .malformed = error as? EventTimeParseError else { return false }
            return true
        }
    }

    @Test func formattingOutsideFourDigitYearsStaysReadableAndNeverTraps() {
        #expect(EventTimeFormat.format(-62_167_219_200_001) == "-1-12-31 23:59:59.999")
        #expect(EventTimeFormat.format(253_402_300_800_000) == "10000-01-01 00:00:00.000")
        #expect(!EventTimeFormat.format(.min).isEmpty)
        #expect(!EventTimeFormat.format(.max).isEmpty)
    }

    @Test func dayOutOfRangeReasonNamesTheMonthLength() {
        #expect(EventTimeParseError.dayOutOfRange(year: 2023, month: 2, day: 29).description == "day 29 is not in 1...28 for 2023-02")
    }

    @Test func formatThenParseRoundTripsRandomInstants() throws {
        var generator = SplitMix64(seed: 20_240_501)
        let range = try EventTimeFormat.parse("0000-01-01 00:00:00")...EventTimeFormat.parse("9999-12-31 23:59:59.999")
        for _ in 0..<20_000 {
            let millis = Int64.random(in: range, using: &generator)
            let text = EventTimeFormat.format(millis)
            #expect(text.utf8.count == 23)
            #expect(try EventTimeFormat.parse(text) == millis, "\(millis) → \(text)")
        }
    }

    @Test func parseThenFormatRoundTripsRandomValidTexts() throws {
        var generator = SplitMix64(seed: 7)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        for _ in 0..<5_000 {
            let year = Int.random(in: 0...9999, using: &generator)
            let month = Int.random(in: 1...12, using: &generator)
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            let day = Int.random(in: 1...days, using: &generator)
            let millis = Int.random(in: 0...999, using: &generator)
            let text = String(repeating: "0", count: 4 - String(year).count) + "\(year)-\(two(month))-\(two(day)) "
                + "\(two(Int.random(in: 0...23, using: &generator))):\(two(Int.random(in: 0...59, using: &generator)))"
                + ":\(two(Int.random(in: 0...59, using: &generator))).\(millis < 100 ? "0" : "")\(millis < 10 ? "0" : "")\(millis)"
            #expect(EventTimeFormat.format(try EventTimeFormat.parse(text)) == text)
        }
    }

    @Test func daysAreContiguousAcrossFourCenturies() throws {
        // Every calendar day from 1900 to 2300 is exactly one day after the previous one.
        var previous = try EventTimeFormat.parse("1899-12-31 00:00:00")
        var date = (year: 1900, month: 1, day: 1)
        while date.year < 2300 {
            let text = "\(date.year)-\(date.month < 10 ? "0" : "")\(date.month)-\(date.day < 10 ? "0" : "")\(date.day) 00:00:00"
            let millis = try EventTimeFormat.parse(text)
            #expect(millis - previous == 86_400_000, "\(text)")
            previous = millis
            let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][date.month - 1]
            if date.day < days { date.day += 1 } else if date.month < 12 { date = (date.year, date.month + 1, 1) } else { date = (date.year + 1, 1, 1) }
        }
    }
}
