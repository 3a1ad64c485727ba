import SluiceCore
import SluiceEngine

/// A filter condition over one schema's rows, as a spec writes it:
/// `total_amount >= 100 and payment_method = 'card' or note is null`.
///
/// Comparisons are `column op literal` with `=`, `!=`, `<`, `<=`, `>`, `>=`, or `column is null`
/// / `column is not null`; `and` binds tighter than `or`; no parentheses. Literals: numbers,
/// `'text'` (a doubled `''` is a quote), `true`/`false`, and for timestamp columns
/// `'YYYY-MM-DD HH:MM:SS[.mmm]'` (UTC) or epoch milliseconds. A comparison with a NULL column
/// is false (SQL's unknown, filtered out). Parsed and type-checked once at submission (the
/// errors name what is wrong); evaluating reads only the compared columns of a row.
public struct RowPredicate: Sendable {
    enum Operator: String, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    enum Literal: Sendable, Equatable {
        case integer(Int64), float(Double), decimal(Int64), text([UInt8]), bool(Bool)
    }

    enum Comparison: Sendable {
        case compare(column: Int, Operator, Literal)
        case isNull(column: Int, negated: Bool)
    }

    /// Disjunction of conjunctions.
    let alternatives: [[Comparison]]
    public let layout: RowLayout

    public init(_ text: String, schema: Schema) throws(SchemaRuleError) {
        layout = RowLayout(schema)
        var tokens = try Self.tokenize(text)
        var alternatives: [[Comparison]] = [[]]
        while true {
            alternatives[alternatives.count - 1].append(try Self.comparison(&tokens, schema: schema))
            guard let next = tokens.first else { break }
            tokens.removeFirst()
            switch next.lowercased() {
            case "and": continue
            case "or": alternatives.append([])
            default: throw SchemaRuleError("params.where", "expected 'and' or 'or', got '\(next)'")
            }
        }
        self.alternatives = alternatives
    }

    public func matches(_ row: Row) -> Bool {
        alternatives.contains { conjunction in conjunction.allSatisfy { holds($0, row) } }
    }

    private func holds(_ comparison: Comparison, _ row: Row) -> Bool {
        switch comparison {
        case .isNull(let column, let negated):
            return row.isNull(column) != negated
        case .compare(let column, let op, let literal):
            guard !row.isNull(column) else { return false }
            let order: Int
            switch literal {
            case .integer(let value), .decimal(let value):
                let have = row.int64(column, layout)
                order = have < value ? -1 : (have == value ? 0 : 1)
            case .float(let value):
                let have = row.float64(column, layout)
                order = have < value ? -1 : (have == value ? 0 : 1)
            case .bool(let value):
                let have = row.bool(column, layout)
                order = have == value ? 0 : (have ? 1 : -1)
            case .text(let value):
                order = row.withVariable(column, layout) { have in
                    have.elementsEqual(value) ? 0 : (have.lexicographicallyPrecedes(value) ? -1 : 1)
                }
            }
            switch op {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            }
        }
    }

    // MARK: - Parsing

    private static func comparison(_ tokens: inout [String], schema: Schema) throws(SchemaRuleError) -> Comparison {
        guard !tokens.isEmpty else { throw SchemaRuleError("params.where", "a condition is missing (expected 'column op value')") }
        let name = tokens.removeFirst()
        guard let index = schema.index(of: name) else {
            let hint = EditDistance.closest(to: name, among: schema.columnNames).map { " (did you mean '\($0)'?)" } ?? ""
            throw SchemaRuleError("params.where", "no column '\(name)'\(hint); the input has \(schema.columnNames.joined(separator: ", "))")
        }
        let column = schema.columns[index]
        guard !tokens.isEmpty else { throw SchemaRuleError("params.where", "'\(name)' needs a comparison, e.g. \(name) = …") }
        let word = tokens.removeFirst()
        if word.lowercased() == "is" {
            let negated = tokens.first?.lowercased() == "not"
            if negated { tokens.removeFirst() }
            guard tokens.first?.lowercased() == "null" else { throw SchemaRuleError("params.where", "expected 'is null' or 'is not null' after \(name)") }
            tokens.removeFirst()
            return .isNull(column: index, negated: negated)
        }
        guard let op = Operator(rawValue: word) else {
            throw SchemaRuleError("params.where", "unknown comparison '\(word)'; use =, !=, <, <=, >, >=, is null, is not null")
        }
        guard !tokens.isEmpty else { throw SchemaRuleError("params.where", "\(name) \(word) needs a value") }
        let literal = try Self.literal(tokens.removeFirst(), for: column)
        if case .bool = literal, op != .equal, op != .notEqual {
            throw SchemaRuleError("params.where", "\(name) is a bool: compare it with = or !=")
        }
        return .compare(column: index, op, literal)
    }

    private static func literal(_ token: String, for column: Column) throws(SchemaRuleError) -> Literal {
        let quoted = token.hasPrefix("'")
        let text = quoted ? Self.unquoted(token) : token
        func refuse() -> SchemaRuleError {
            SchemaRuleError("params.where", "\(token) is not a \(column.type) value for \(column.name)")
        }
        switch column.type {
        case .int64:
            guard !quoted, let value = Int64(text) else { throw refuse() }
            return .integer(value)
        case .float64:
            guard !quoted, let value = Double(text), value.isFinite else { throw refuse() }
            return .float(value)
        case .decimal(let precision, let scale):
            guard !quoted, precision <= Decimal64.maxPrecision, let value = Decimal64(text: Array(text.utf8), precision: precision, scale: scale) else {
                throw refuse()
            }
            return .decimal(value.unscaled)
        case .string, .bytes:
            guard quoted else { throw SchemaRuleError("params.where", "quote text values: \(column.name) = '\(text)'") }
            return .text(Array(text.utf8))
        case .bool:
            guard !quoted, text == "true" || text == "false" else { throw refuse() }
            return .bool(text == "true")
        case .timestamp:
            if !quoted, let millis = Int64(text) { return .integer(millis) }
            guard quoted, let millis = try? EventTimeFormat.parse(text) else {
                throw SchemaRuleError("params.where", "\(token) is no timestamp for \(column.name): write 'YYYY-MM-DD HH:MM:SS' (UTC) or epoch ms")
            }
            return .integer(millis)
        }
    }

    /// The text between a literal's quotes, a doubled quote read as one.
    static func unquoted(_ token: String) -> String {
        var out = ""
        var previousWasQuote = false
        for character in token.dropFirst().dropLast() {
            if character == "'" && previousWasQuote {
                previousWasQuote = false
                continue
            }
            previousWasQuote = character == "'"
            out.append(character)
        }
        return out
    }

    /// Words, operators and quoted literals.
    static func tokenize(_ text: String) throws(SchemaRuleError) -> [String] {
        var tokens: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if character == "'" {
                var end = text.index(after: index)
                while true {
                    guard end < text.endIndex else { throw SchemaRuleError("params.where", "a quote is not closed: \(text[index...])") }
                    if text[end] == "'" {
                        let next = text.index(after: end)
                        if next < text.endIndex, text[next] == "'" { end = text.index(after: next); continue }
                        break
                    }
                    end = text.index(after: end)
                }
                tokens.append(String(text[index...end]))
                index = text.index(after: end)
            } else if "=<>!".contains(character) {
                var end = text.index(after: index)
                if end < text.endIndex, text[end] == "=" { end = text.index(after: end) }
                tokens.append(String(text[index..<end]))
                index = end
            } else {
                var end = index
                while end < text.endIndex, !text[end].isWhitespace, !"=<>!'".contains(text[end]) { end = text.index(after: end) }
                tokens.append(String(text[index..<end]))
                index = end
            }
        }
        guard !tokens.isEmpty else { throw SchemaRuleError("params.where", "is empty; write a condition such as amount > 10") }
        return tokens
    }
}
