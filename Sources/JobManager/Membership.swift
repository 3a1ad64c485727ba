import Foundation
import Logging
import SluiceProtocol
import Synchronization

/// The JobManager's view of its TaskManagers: the shell around `MembershipTable`.
///
/// Thread-safe: called from RPC connection tasks and the heartbeat monitor; the table and the
/// connection handles change together under one lock. Logs one line per membership change and
/// keeps the membership gauges current.
public final class Membership: Sendable {
    public struct Snapshot: Sendable {
        public var members: [MembershipTable.Member]
        public var slotsTotal: Int
        public var slotsAvailable: Int
    }

    private struct State {
        var table = MembershipTable()
        var connections: [UInt64: any TaskManagerConnection] = [:]
    }

    private let state = Mutex(State())
    private let lostListeners = Mutex<[@Sendable (String) -> Void]>([])
    private let nextSession = Atomic<UInt64>(1)
    private let metrics: JobManagerMetrics
    private let logger: Logger
    public let heartbeatTimeout: Duration
    /// Sink previews asked of the TaskManagers, waiting for their replies.
    public let sinkPreviews = SinkPreviewRequests()

    public init(heartbeatTimeout: Duration, metrics: JobManagerMetrics, logger: Logger) {
        self.heartbeatTimeout = heartbeatTimeout
        self.metrics = metrics
        self.logger = logger
    }

    /// Calls `listener` with the id of every TaskManager declared lost (jobs fail their tasks there).
    public func onLost(_ listener: @escaping @Sendable (String) -> Void) {
        lostListeners.withLock { $0.append(listener) }
    }

    /// A fresh id for a new connection; membership operations are fenced by it.
    public func makeSession() -> UInt64 {
        nextSession.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    public func register(_ info: TaskManagerInfo, session: UInt64, connection: any TaskManagerConnection) {
        let (event, replaced) = state.withLock { state -> (MembershipEvent, (any TaskManagerConnection)?) in
            let previous = state.table.members[info.id].map(\.session)
            let event = state.table.register(info, session: session, now: .now, epochMillis: Self.epochMillis())
            state.connections[session] = connection
            let replaced = previous.flatMap { $0 == session ? nil : state.connections.removeValue(forKey: $0) }
            return (event, replaced)
        }
        replaced?.close(reason: "TaskManager \(info.id) registered again on a new connection")
        publish([event])
    }

    /// The JobManager could not connect to the data address `id` advertised with `session`.
    public func dataPortUnreachable(id: String, session: UInt64, problem: String) {
        state.withLock { $0.table.setDataPortProblem(problem, id: id, session: session) }
    }

    /// False when the TaskManager must register again.
    public func heartbeat(id: String, session: UInt64, usage: _ProtoMetricsSummary? = nil) -> Bool {
        let known = state.withLock {
            $0.table.heartbeat(id: id, session: session, now: .now, epochMillis: Self.epochMillis(), usage: usage)
        }
        if known { publishGauges() }
        return known
    }

    public func connectionClosed(id: String?, session: UInt64) {
        let event = state.withLock { state -> MembershipEvent? in
            state.connections[session] = nil
            guard let id else { return nil }
            return state.table.connectionClosed(id: id, session: session)
        }
        publish(event.map { [$0] } ?? [])
    }

    public func deregister(id: String, session: UInt64, reason: String) {
        let event = state.withLock { $0.table.deregister(id: id, session: session, reason: reason) }
        publish(event.map { [$0] } ?? [])
    }

    /// Declares lost every TaskManager whose heartbeats stopped, and closes its connection.
    public func expireOverdue(now: ContinuousClock.Instant = .now) {
        let expired = state.withLock { state in
            state.table.expire(now: now, timeout: heartbeatTimeout).map { expired in
                (expired.event, state.connections.removeValue(forKey: expired.session))
            }
        }
        for (event, connection) in expired {
            connection?.close(reason: "heartbeat timeout")
            _ = event
        }
        publish(expired.map(\.0))
    }

    /// The live connection of a registered TaskManager.
    public func connection(to id: String) -> (any TaskManagerConnection)? {
        state.withLock { state in
            state.table.members[id].flatMap { state.connections[$0.session] }
        }
    }

    /// Places `job` on `slots` free slots atomically (see `MembershipTable.reserve`); nil when
    /// too few are free. The caller deploys to the returned TaskManagers.
    public func reserve(job: String, slots: Int) -> (slots: [String], snapshot: Snapshot)? {
        let placed = state.withLock { state -> (slots: [String], snapshot: Snapshot)? in
            guard let assigned = state.table.reserve(job: job, slots: slots) else { return nil }
            return (assigned, Self.snapshot(of: state.table))
        }
        if placed != nil { publishGauges() }
        return placed
    }

    /// `job` holds no slot any more (it ended).
    public func release(job: String) {
        state.withLock { $0.table.release(job: job) }
        publishGauges()
    }

    public func snapshot() -> Snapshot {
        state.withLock { Self.snapshot(of: $0.table) }
    }

    private static func snapshot(of table: MembershipTable) -> Snapshot {
        Snapshot(members: table.members.values.sorted { $0.info.id < $1.info.id }, slotsTotal: table.slotsTotal,
                 slotsAvailable: table.slotsAvailable)
    }

    private func publish(_ events: [MembershipEvent]) {
        for event in events {
            switch event {
            case .joined(let info):
                logger.info("TaskManager joined", metadata: Self.metadata(info))
                metrics.membershipEvent("joined")
            case .rejoined(let info):
                logger.info("TaskManager rejoined", metadata: Self.metadata(info))
                metrics.membershipEvent("rejoined")
            case .lost(let id, let cause):
                logger.warning("TaskManager lost", metadata: ["taskmanager": "\(id)", "cause": "\(cause)"])
                metrics.membershipEvent("lost")
                for listener in lostListeners.withLock({ $0 }) { listener(id) }
            }
        }
        publishGauges()
    }

    private func publishGauges() {
        let snapshot = snapshot()
        metrics.setMembership(taskManagers: snapshot.members.count, slotsTotal: snapshot.slotsTotal,
                              slotsAvailable: snapshot.slotsAvailable)
    }

    private static func metadata(_ info: TaskManagerInfo) -> Logger.Metadata {
        ["taskmanager": "\(info.id)", "address": "\(info.host):\(info.dataPort)", "slots": "\(info.slots)", "pid": "\(info.pid)"]
    }

    static func epochMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
