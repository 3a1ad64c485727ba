import SluiceEngine

/// The `project` kind: emits each row with the columns its `RowProjection` keeps. Stateless
/// (one reused row builder); runs on the task thread.
public final class ProjectOperator: StreamOperator {
    private var projection: RowProjection?
    private var builder: RowBuilder?
    private var operatorID = "project"

    public init() {}

    public func open(context: OperatorContext) throws {
        operatorID = context.operatorID
        do {
            let projection = try RowProjection(try context.string(ProjectKind.columns), schema: try context.inputLayout().schema,
                                               name: context.operatorID)
            self.projection = projection
            builder = RowBuilder(projection.output)
        } catch let error as SchemaRuleError {
            throw OperatorError.configuration(operatorID, "\(error.field): \(error.message)")
        }
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        let row = record
        guard let projection, builder != nil else {
            throw OperatorError.configuration(operatorID, "got a record before it was opened")
        }
        let projected = try projection.apply(row.row, into: &builder!)
        try output.emit(RowRecord(row: projected, eventTime: row.eventTime))
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {}

    public func finish(output: any RecordOutput) throws {}

    public func close() {}
}
