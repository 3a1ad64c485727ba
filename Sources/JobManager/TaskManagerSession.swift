import Logging
import NIOCore
import SluiceCore
import SluiceProtocol

/// Serves one authenticated TaskManager connection on the JobManager.
///
/// Runs in that connection's task. Invariant: the first message is `RegisterTaskManager`; after
/// it, only messages of that TaskManager are accepted. When the connection ends for any reason
/// the TaskManager is reported gone to `Membership` (fenced by the session id, so a late close
/// of an old connection cannot remove a re-registered TaskManager).
struct TaskManagerSession {
    enum ProtocolError: Error, CustomStringConvertible {
        case unexpected(String, expected: String)
        case invalidRegistration(String)

        var description: String {
            switch self {
            case .unexpected(let got, let expected): return "expected \(expected), got \(got)"
            case .invalidRegistration(let why): return "invalid RegisterTaskManager: \(why)"
            }
        }
    }

    let session: UInt64
    let channel: any Channel
    let membership: Membership
    let settings: RPCServer.Settings
    let status: @Sendable () -> _ProtoClusterStatus
    let jobs: JobRegistry
    var logger: Logger
    private var registeredID: String?

    init(session: UInt64, channel: any Channel, membership: Membership, settings: RPCServer.Settings,
         status: @escaping @Sendable () -> _ProtoClusterStatus, jobs: JobRegistry, logger: Logger) {
        self.jobs = jobs
        self.session = session
        self.channel = channel
        self.membership = membership
        self.settings = settings
        self.status = status
        self.logger = logger
    }

    mutating func run(inbound: inout EnvelopeIterator, outbound: EnvelopeWriter) async throws {
        defer { membership.connectionClosed(id: registeredID, session: session) }
        while let envelope = try await inbound.next() {
            switch envelope.body {
            case .registerTaskManager(let registration)?:
                try await register(registration, outbound: outbound)
            case .heartbeat(let heartbeat)? where registeredID != nil:
                guard heartbeat.taskManagerID == registeredID else {
                    throw ProtocolError.unexpected("heartbeat of \(heartbeat.taskManagerID)", expected: "heartbeats of \(registeredID ?? "")")
                }
                guard membership.heartbeat(id: heartbeat.taskManagerID, session: session,
                                                 usage: heartbeat.hasMetrics ? heartbeat.metrics : nil) else {
                    var disconnect = _ProtoDisconnect()
                    disconnect.reason = "TaskManager \(heartbeat.taskManagerID) is not registered (declared lost); register again"
                    try await outbound.write(.with(.disconnect(disconnect)))
                    return
                }
                jobs.heartbeat(heartbeat.tasks, from: heartbeat.taskManagerID)
                var ack = _ProtoHeartbeatAck()
                ack.receivedAtMs = UInt64(Membership.epochMillis())
                try await outbound.write(.with(.heartbeatAck(ack)))
            case .disconnect(let disconnect)? where registeredID != nil:
                membership.deregister(id: registeredID!, session: session, reason: disconnect.reason)
                return
            case .taskStateChanged(let change)? where registeredID != nil:
                jobs.taskStateChanged(change)
            case .acknowledgeCheckpoint(let ack)? where registeredID != nil:
                await jobs.acknowledge(ack)
            case .declineCheckpoint(let decline)? where registeredID != nil:
                await jobs.decline(decline)
            case .sinkPreviewReply(let reply)? where registeredID != nil:
                membership.sinkPreviews.resolve(reply)
            case .clusterStatusRequest?:
                try await outbound.write(.with(.clusterStatus(status())))
            default:
                throw ProtocolError.unexpected(envelope.bodyName,
                                               expected: registeredID == nil ? "RegisterTaskManager" : "a TaskManager message")
            }
        }
    }

    private mutating func register(_ registration: _ProtoRegisterTaskManager, outbound: EnvelopeWriter) async throws {
        guard !registration.taskManagerID.isEmpty else { throw ProtocolError.invalidRegistration("empty task_manager_id") }
        guard registration.slots > 0, registration.slots <= 1024 else {
            throw ProtocolError.invalidRegistration("slots must be 1...1024, got \(registration.slots)")
        }
        guard registeredID == nil || registeredID == registration.taskManagerID else {
            throw ProtocolError.invalidRegistration("connection already registered as \(registeredID!)")
        }
        registeredID = registration.taskManagerID
        logger[metadataKey: "taskmanager"] = "\(registration.taskManagerID)"
        let info = TaskManagerInfo(registration)
        membership.register(info, session: session,
                            connection: ChannelTaskManagerConnection(channel: channel, writer: outbound, logger: logger))
        // Off the session: the check may take its whole timeout, and must not delay the ack.
        Task { [membership, session, logger, tls = settings.tls] in
            guard let problem = await DataPortProbe.problem(host: info.host, port: info.dataPort, tls: tls) else { return }
            membership.dataPortUnreachable(id: info.id, session: session, problem: problem)
            logger.warning("the TaskManager's data port is not reachable from the JobManager; other TaskManagers probably cannot reach it either, so jobs placed there will fail to connect", metadata: [
                "address": "\(info.host):\(info.dataPort)", "error": "\(problem)",
                "fix": "set taskmanager.host (SLUICE_TASKMANAGER_HOST) to an address the other hosts reach"])
        }
        var ack = _ProtoRegisterTaskManagerAck()
        ack.accepted = true
        ack.jobManagerID = settings.serverID
        ack.heartbeatIntervalMs = UInt32(settings.heartbeatInterval.milliseconds)
        ack.heartbeatTimeoutMs = UInt32(settings.heartbeatTimeout.milliseconds)
        try await outbound.write(.with(.registerTaskManagerAck(ack)))
    }
}
