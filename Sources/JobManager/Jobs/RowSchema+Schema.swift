import SluiceEngine
import SluiceProtocol

extension _ProtoRowSchema {
    /// The wire form of a schema the JobManager derived at submission (`DeployTask`).
    init(_ schema: Schema) {
        self.init()
        name = schema.name
        columns = schema.columns.map { column in
            var proto = _ProtoColumnSchema()
            proto.name = column.name
            proto.type = column.type.description
            proto.nullable = column.nullable
            return proto
        }
        eventTime = schema.eventTime ?? ""
    }
}
