import SluiceCore
/// The operator kinds a cluster knows, by name.
///
/// A value built once at start (`BuiltInKinds.catalog`); the JobManager type-checks specs
/// against it and the TaskManager looks kinds up in it. Names are unique.
public struct KindCatalog: Sendable {
    public let declarations: [OperatorKindDeclaration]
    /// The columns the keyed exchange can hash on an edge of a schema; nil: any column (rows).
    /// Edges that still carry the attribution job's typed records hash only their key fields,
    /// and a spec keying them by anything else must be refused rather than routed wrongly.
    public let exchangeKeyColumns: @Sendable (Schema) -> Set<String>?
    private let byName: [String: Int]

    public init(_ declarations: [OperatorKindDeclaration], exchangeKeyColumns: @escaping @Sendable (Schema) -> Set<String>? = { _ in nil }) {
        self.exchangeKeyColumns = exchangeKeyColumns
        var byName: [String: Int] = [:]
        for (index, declaration) in declarations.enumerated() {
            precondition(byName[declaration.name] == nil, "kind \(declaration.name) declared twice")
            byName[declaration.name] = index
        }
        self.declarations = declarations
        self.byName = byName
    }

    public subscript(name: String) -> OperatorKindDeclaration? { byName[name].map { declarations[$0] } }

    /// Names in declaration order, optionally only those of one role.
    public func names(role: OperatorKindDeclaration.Role? = nil) -> [String] {
        declarations.filter { role == nil || $0.role == role }.map(\.name)
    }

    /// The known name closest to `name` (edit distance ≤ 3), for "did you mean" hints.
    public func closest(to name: String) -> String? {
        EditDistance.closest(to: name, among: names())
    }
}
