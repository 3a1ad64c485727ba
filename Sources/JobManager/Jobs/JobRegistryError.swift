/// Why `JobRegistry.submit` refused a job that is otherwise valid.
public enum JobRegistryError: Error, CustomStringConvertible, Equatable {
    /// A job with this name has not ended yet.
    case duplicateName(String, activeJobID: String, state: JobStatus)

    public var description: String {
        switch self {
        case .duplicateName(let name, let id, let state):
            "a job named '\(name)' is already \(state.rawValue) as \(id); two copies of one pipeline read the same "
                + "input and write the same sink rows. Stop or cancel it first (sluice stop \(id)), or submit with "
                + "--allow-duplicate (REST: ?allow-duplicate=true) to run both"
        }
    }
}
