import SluiceProtocol

/// What a TaskManager tells about itself when it registers.
public struct TaskManagerInfo: Sendable, Equatable {
    public var id: String
    public var host: String
    public var dataPort: Int
    public var metricsPort: Int
    public var slots: Int
    public var pid: Int

    public init(id: String, host: String, dataPort: Int, metricsPort: Int = 0, slots: Int, pid: Int = 0) {
        self.id = id
        self.host = host
        self.dataPort = dataPort
        self.metricsPort = metricsPort
        self.slots = slots
        self.pid = pid
    }

    init(_ message: _ProtoRegisterTaskManager) {
        self.init(id: message.taskManagerID, host: message.host, dataPort: Int(message.dataPort),
                  metricsPort: Int(message.metricsPort), slots: Int(message.slots), pid: Int(message.pid))
    }
}
