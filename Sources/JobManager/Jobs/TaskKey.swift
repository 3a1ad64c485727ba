/// One subtask of a job: (vertex, subtask index). The attempt is the job's current one.
public struct TaskKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var vertex: String
    public var subtask: Int

    public init(vertex: String, subtask: Int) {
        self.vertex = vertex
        self.subtask = subtask
    }

    public static func < (lhs: TaskKey, rhs: TaskKey) -> Bool {
        (lhs.vertex, lhs.subtask) < (rhs.vertex, rhs.subtask)
    }

    public var description: String { "\(vertex)[\(subtask)]" }
}
