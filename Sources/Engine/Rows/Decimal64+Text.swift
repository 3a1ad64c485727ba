extension Decimal64 {
    /// Parses decimal text as PostgreSQL's `numeric(precision, scale)` input does: an optional
    /// sign, digits with an optional point, an optional exponent (`1.5e3`), rounded half away
    /// from zero to `scale` digits after the point. Nil when the text is no such number or the
    /// rounded value needs more than `precision` digits (PostgreSQL's "numeric field overflow").
    ///
    /// For input whose exact text PostgreSQL used to round on insert (the attribution job's
    /// `total_amount`), so a row holds what the table would have held.
    public init?<Bytes: Collection<UInt8>>(rounding text: Bytes, precision: Int, scale: Int) {
        guard precision <= Self.maxPrecision, scale >= 0, scale <= precision else { return nil }
        var bytes = text.makeIterator()
        var next = bytes.next()
        var negative = false
        if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
            negative = next == UInt8(ascii: "-")
            next = bytes.next()
        }
        // The mantissa's digits (leading zeros skipped), and how many came after the point.
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var anyDigit = false
        while let byte = next {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                anyDigit = true
                if seenPoint { fractionDigits += 1 }
                if !digits.isEmpty || byte != UInt8(ascii: "0") { digits.append(byte - UInt8(ascii: "0")) }
                guard digits.count <= 1_000 else { return nil }
            } else {
                break
            }
            next = bytes.next()
        }
        guard anyDigit else { return nil }
        var exponent = 0
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            var exponentNegative = false
            next = bytes.next()
            if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                exponentNegative = next == UInt8(ascii: "-")
                next = bytes.next()
            }
            var anyExponentDigit = false
            while let byte = next, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                anyExponentDigit = true
                exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                guard exponent <= 100_000 else { return nil }
                next = bytes.next()
            }
            guard anyExponentDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard next == nil else { return nil }
        // value = digits × 10^(exponent - fractionDigits); unscaled = value × 10^scale.
        let shift = exponent - fractionDigits + scale
        let kept = digits.count + shift  // mantissa digits before the rounding position
        var unscaled: Int64 = 0
        let limit = Self.power(of: precision)
        for index in 0..<max(0, min(kept, digits.count)) {
            unscaled = unscaled * 10 + Int64(digits[index])
            guard unscaled < limit else { return nil }
        }
        if kept > digits.count {
            for _ in 0..<(kept - digits.count) {
                unscaled *= 10
                guard unscaled < limit else { return nil }
            }
        } else if kept >= 0, kept < digits.count, digits[kept] >= 5 {
            unscaled += 1  // half away from zero: the sign is applied after
            guard unscaled < limit else { return nil }
        }
        self.init(unscaled: negative ? -unscaled : unscaled, scale: scale)
    }

    /// 10^digits for digits ≤ 18.
    private static func power(of digits: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<digits { value *= 10 }
        return value
    }

    /// Appends the text `description` spells (`-12.50`) to `bytes`, without building a String.
    public func appendText(to bytes: inout [UInt8]) {
        if unscaled < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = unscaled.magnitude
        var count = 1
        var probe = magnitude / 10
        while probe > 0 { count += 1; probe /= 10 }
        let digits = max(count, scale + 1)  // at least one digit before the point
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits + (scale > 0 ? 1 : 0)))
        var position = bytes.count - 1
        for written in 0..<digits {
            if scale > 0 && written == scale {
                bytes[position] = UInt8(ascii: ".")
                position -= 1
            }
            bytes[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        }
        assert(position == start - 1)
    }
}
