/// Why a `datetime_occured` text is not a timestamp we accept (see `EventTimeFormat`).
public enum EventTimeParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The text does not have the shape `YYYY-MM-DD HH:MM:SS[.f…]`; `detail` says where it breaks.
    case malformed(detail: String)
    case monthOutOfRange(Int)
    case dayOutOfRange(year: Int, month: Int, day: Int)
    case hourOutOfRange(Int)
    case minuteOutOfRange(Int)
    case secondOutOfRange(Int)
    /// More than 6 fractional-second digits (we accept 1–6 and keep milliseconds).
    case tooManyFractionDigits(Int)

    public var description: String {
        switch self {
        case .malformed(let detail):
            return detail
        case .monthOutOfRange(let month):
            return "month \(month) is not in 1...12"
        case .dayOutOfRange(let year, let month, let day):
            let days = CivilDate.daysInMonth(year: Int64(year), month: Int64(month))
            return "day \(day) is not in 1...\(days) for \(EventTimeFormat.pad(year, 4))-\(EventTimeFormat.pad(month, 2))"
        case .hourOutOfRange(let hour):
            return "hour \(hour) is not in 0...23"
        case .minuteOutOfRange(let minute):
            return "minute \(minute) is not in 0...59"
        case .secondOutOfRange(let second):
            return "second \(second) is not in 0...59"
        case .tooManyFractionDigits(let count):
            return "\(count) fractional-second digits, at most 6 are accepted"
        }
    }
}
