import SluiceEngine
import SluiceProtocol

extension Schema {
    /// A schema from a `DeployTask`; a malformed one fails the deployment with the reason.
    init(_ proto: _ProtoRowSchema) throws(DeploymentError) {
        var columns: [Column] = []
        for column in proto.columns {
            guard let type = ColumnType(parsing: column.type) else {
                throw .invalid("schema \(proto.name): column '\(column.name)' has unknown type '\(column.type)'")
            }
            columns.append(Column(column.name, type, nullable: column.nullable))
        }
        do {
            try self.init(checking: proto.name, columns: columns, eventTime: proto.eventTime.isEmpty ? nil : proto.eventTime)
        } catch {
            throw .invalid("schema \(proto.name): \(error)")
        }
    }
}
