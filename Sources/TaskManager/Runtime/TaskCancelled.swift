/// Thrown inside a task's loop when it was asked to stop; ends the task as CANCELED, not FAILED.
struct TaskCancelled: Error, CustomStringConvertible {
    var reason: String
    var description: String { "cancelled: \(reason)" }
}
