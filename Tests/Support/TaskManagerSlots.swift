/// One entry of `GET /taskmanagers`: who a TaskManager is (id, OS process id) and how many of
/// its slots run tasks, as its latest heartbeat reported.
public struct TaskManagerSlots: Sendable, Equatable {
    public var id: String
    public var pid: Int32
    public var slots: Int
    public var freeSlots: Int

    public var usedSlots: Int { slots - freeSlots }

    public init(json: [String: Any]) throws {
        guard let id = json["id"] as? String, let pid = json["pid"] as? Int, let slots = json["slotsNumber"] as? Int,
              let freeSlots = json["freeSlots"] as? Int, let pid32 = Int32(exactly: pid) else {
            throw TestSupportError.commandFailed(command: "decode GET /taskmanagers entry", status: 0, output: "\(json)")
        }
        self.id = id
        self.pid = pid32
        self.slots = slots
        self.freeSlots = freeSlots
    }
}
