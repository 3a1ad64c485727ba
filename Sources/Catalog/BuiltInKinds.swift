import SluiceAttribution
import SluiceConnectorKinds
import SluiceEngine
import SluiceLibrary

/// Every operator kind and record format this build of Sluice ships, for the JobManager's type
/// checks, the TaskManager's lookups and `sluice kinds`: the connectors, the operator library
/// and the jobs' own kinds and formats. Pure declarations: the module links no C library, so
/// the JobManager can import it. The one place that names the shipped jobs.
public enum BuiltInKinds {
    /// The record formats the JSON sources read besides declared schemas.
    public static let formats: [RecordFormatDeclaration] = AttributionFormats.declarations

    public static let kafkaSource = KafkaSourceKind.declaration(formats: formats)
    public static let fileSource = FileSourceKind.declaration(formats: formats)

    public static let catalog = KindCatalog([
        kafkaSource,
        fileSource,
        FirstClickAttributionKind.declaration,
        UserEnrichmentKind.declaration,
        FilterKind.declaration,
        ProjectKind.declaration,
        TumblingWindowKind.declaration,
        TopNKind.declaration,
        PostgresSinkKind.declaration,
        KafkaSinkKind.declaration,
        FileSinkKind.declaration,
        BlackholeSinkKind.declaration,
    ], formats: formats)
}
