import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
import SluiceLibrary

/// The error a spec is refused with against the built-in kinds; nil when it is accepted.
func builtInRefusal(_ yaml: String) -> JobSpecError? {
    do {
        _ = try JobSpecParser.parse(yaml: yaml, catalog: BuiltInKinds.catalog)
        return nil
    } catch let error as JobSpecError {
        return error
    } catch {
        return JobSpecError("unexpected", "\(error)")
    }
}
