import SluiceEngine

/// The `filter` kind: passes on the rows its `RowPredicate` holds for and counts the others
/// (dropping them is what the user asked for, so it is counted, not dead-lettered). Stateless;
/// runs on the task thread.
public final class FilterOperator: StreamOperator, CountingOperator {
    private var predicate: RowPredicate?
    private var operatorID = "filter"
    public private(set) var passed = 0
    public private(set) var filtered = 0

    public init() {}

    public func count(of event: String) -> Int? {
        switch event {
        case "passed": passed
        case "filtered": filtered
        default: nil
        }
    }

    public func open(context: OperatorContext) throws {
        operatorID = context.operatorID
        do {
            predicate = try RowPredicate(try context.string(FilterKind.condition), schema: try context.inputLayout().schema)
        } catch let error as SchemaRuleError {
            throw OperatorError.configuration(operatorID, "\(error.field): \(error.message)")
        }
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        let row = record
        guard let predicate else {
            throw OperatorError.configuration(operatorID, "got a record before it was opened")
        }
        if predicate.matches(row.row) {
            passed += 1
            try output.emit(record)
        } else {
            filtered += 1
        }
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {}

    public func finish(output: any RecordOutput) throws {}

    public func close() {}
}
