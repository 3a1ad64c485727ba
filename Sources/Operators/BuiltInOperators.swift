import Logging
import SluiceAttribution
import SluiceCatalog
import SluiceConnectors
import SluiceConnectorKinds
import SluiceEngine
import SluiceLibrary

/// The factories of the built-in kinds, one per declaration of `BuiltInKinds.catalog`, and the
/// decoders of its record formats (tests check both lists match the catalog's). The
/// TaskManager's one link to the code of connectors, library and jobs.
public enum BuiltInOperators {
    /// The record formats' decoders, one per `BuiltInKinds.formats`.
    public static let formats: [RecordFormat] = AttributionFormats.formats

    public static let factories: [OperatorFactory] = [
        OperatorFactory(BuiltInKinds.kafkaSource) { .source(KafkaSourceOperator(formats: formats)) },
        OperatorFactory(BuiltInKinds.fileSource) { .source(FileSourceOperator(formats: formats)) },
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

    /// Where a task's dead letters and late rows go: PostgreSQL (`commerce.dead_letters`,
    /// `commerce.late_events`, `sluice.late_rows`), of the TaskManager's connection.
    public static func sideOutputs(_ environment: OperatorEnvironment, logger: Logger) -> any SideOutputs {
        PostgresSideOutputs(url: environment.postgresURL, logger: logger)
    }

    private static let byName = Dictionary(uniqueKeysWithValues: factories.map { ($0.declaration.name, $0) })

    /// The factory of the kind named `name`, nil for a kind this build does not run.
    public static func factory(_ name: String) -> OperatorFactory? { byName[name] }
}
