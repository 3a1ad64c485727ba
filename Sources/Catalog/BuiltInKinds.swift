import SluiceEngine

/// Every operator kind this build of Sluice ships, for the JobManager's type checks, the
/// TaskManager's lookups and `sluice kinds`. Pure declarations: the module links no C library,
/// so the JobManager can import it.
public enum BuiltInKinds {
    public static let catalog = KindCatalog([
        KafkaSourceKind.declaration,
        FileSourceKind.declaration,
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
    ])
}
