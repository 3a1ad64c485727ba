import SluiceCore
/// The operator kinds a cluster knows, by name.
///
/// A value built once at start (`BuiltInKinds.catalog`); the JobManager type-checks specs
/// against it and the TaskManager looks kinds up in it. Names are unique.
public struct KindCatalog: Sendable {
    public let declarations: [OperatorKindDeclaration]
    /// The record formats the sources of `declarations` read (for the reference).
    public let formats: [RecordFormatDeclaration]
    private let byName: [String: Int]

    public init(_ declarations: [OperatorKindDeclaration], formats: [RecordFormatDeclaration] = []) {
        precondition(Set(formats.map(\.name)).count == formats.count, "record format declared twice")
        var byName: [String: Int] = [:]
        for (index, declaration) in declarations.enumerated() {
            precondition(byName[declaration.name] == nil, "kind \(declaration.name) declared twice")
            byName[declaration.name] = index
        }
        self.declarations = declarations
        self.formats = formats
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
