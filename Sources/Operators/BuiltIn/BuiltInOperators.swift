import SluiceCatalog
import SluiceEngine

/// The factories of the built-in kinds, one per declaration of `BuiltInKinds.catalog` (a test
/// checks the two lists match).
public enum BuiltInOperators {
    public static let factories: [OperatorFactory] = [
        OperatorFactory(KafkaSourceKind.declaration) { .source(KafkaSourceOperator()) },
        OperatorFactory(FileSourceKind.declaration) { .source(FileSourceOperator()) },
        OperatorFactory(FirstClickAttributionKind.declaration) { .operator(FirstClickAttributionOperator()) },
        OperatorFactory(UserEnrichmentKind.declaration) { .operator(UserEnrichmentOperator()) },
        OperatorFactory(FilterKind.declaration) { .operator(FilterOperator()) },
        OperatorFactory(ProjectKind.declaration) { .operator(ProjectOperator()) },
        OperatorFactory(TumblingWindowKind.declaration) { .operator(TumblingWindowOperator()) },
        OperatorFactory(TopNKind.declaration) { .operator(TopNOperator()) },
        OperatorFactory(PostgresSinkKind.declaration) { .operator(PostgresSinkOperator()) },
        OperatorFactory(KafkaSinkKind.declaration) { .operator(KafkaSinkOperator()) },
        OperatorFactory(FileSinkKind.declaration) { .operator(FileSinkOperator()) },
        OperatorFactory(BlackholeSinkKind.declaration) { .operator(BlackholeSinkOperator()) },
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: factories.map { ($0.declaration.name, $0) })

    /// The factory of the kind named `name`, nil for a kind this build does not run.
    public static func factory(_ name: String) -> OperatorFactory? { byName[name] }
}
