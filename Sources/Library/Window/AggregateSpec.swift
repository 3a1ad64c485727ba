import SluiceEngine

/// One aggregate of a window as a spec writes it: `name=function(column)`, e.g.
/// `revenue=sum(total_amount)` or `checkouts=count(*)`.
public struct AggregateSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Function: String, Sendable, CaseIterable {
        case count, sum, min, max, avg
    }

    public var name: String
    public var function: Function
    /// nil for `count(*)`.
    public var column: String?

    public init(name: String, function: Function, column: String?) {
        self.name = name
        self.function = function
        self.column = column
    }

    public var description: String { "\(name)=\(function.rawValue)(\(column ?? "*"))" }

    /// Parses a comma-separated list: `revenue=sum(total_amount), checkouts=count(*)`.
    public static func parseList(_ text: String) throws(SchemaRuleError) -> [AggregateSpec] {
        var specs: [AggregateSpec] = []
        for item in text.split(separator: ",") {
            let entry = item.filter { !$0.isWhitespace }
            guard let equals = entry.firstIndex(of: "="), let open = entry.firstIndex(of: "("), entry.last == ")", equals < open else {
                throw SchemaRuleError("params.aggregates", "'\(entry)' is not name=function(column), e.g. revenue=sum(total_amount)")
            }
            let name = String(entry[..<equals])
            let functionName = String(entry[entry.index(after: equals)..<open]).lowercased()
            let argument = String(entry[entry.index(after: open)..<entry.index(before: entry.endIndex)])
            guard let function = Function(rawValue: functionName) else {
                throw SchemaRuleError("params.aggregates", "unknown function '\(functionName)' in '\(entry)'; use one of "
                                      + Function.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard !name.isEmpty, !argument.isEmpty else {
                throw SchemaRuleError("params.aggregates", "'\(entry)' needs a name and a column (count(*) counts rows)")
            }
            if argument == "*" && function != .count {
                throw SchemaRuleError("params.aggregates", "\(function.rawValue)(*) is undefined; name a column")
            }
            specs.append(AggregateSpec(name: name, function: function, column: argument == "*" ? nil : argument))
        }
        guard !specs.isEmpty else { throw SchemaRuleError("params.aggregates", "name at least one aggregate, e.g. n=count(*)") }
        return specs
    }
}
