import SluiceProtocol

/// The registered TaskManagers, their liveness and the slots jobs hold on them, as a pure value.
///
/// Every input carries the time it happened and every output is the list of membership
/// changes it caused; `Membership` performs them (logs, metrics, closing connections).
/// Invariants: an id is registered at most once; only the connection (session) a TaskManager
/// registered on can keep it alive or lose it, so a stale connection closing late never removes
/// a TaskManager that already re-registered on a new one. Slot accounting is the JobManager's
/// own: a job's slots are taken when it is placed (`reserve`), not when the next heartbeat
/// says so, so two jobs placed within one heartbeat never get the same slot; a member's free
/// slots are its registered slots less the reservations on it.
public struct MembershipTable: Sendable {
    public struct Member: Sendable, Equatable {
        public var info: TaskManagerInfo
        public var session: UInt64
        /// Registered slots less those jobs hold here.
        public var freeSlots: Int
        public var registeredAt: ContinuousClock.Instant
        public var lastHeartbeat: ContinuousClock.Instant
        /// Wall-clock time of the last heartbeat in ms since the epoch, for the REST API.
        public var lastHeartbeatEpochMillis: Int64
        /// Records, bytes, RSS and CPU time as of the last heartbeat (empty until the first one).
        public var usage = _ProtoMetricsSummary()
        /// Why the JobManager could not connect to the advertised data address (nil: it could,
        /// or the check has not finished).
        public var dataPortProblem: String?
    }

    public private(set) var members: [String: Member] = [:]
    /// Slots each job holds, by TaskManager.
    public private(set) var reservations: [String: [String: Int]] = [:]
    /// Ids lost recently, so a returning TaskManager is reported as `rejoined`; bounded.
    private var recentlyLost: [String] = []
    private static let recentlyLostLimit = 256

    public init() {}

    public mutating func register(_ info: TaskManagerInfo, session: UInt64, now: ContinuousClock.Instant, epochMillis: Int64) -> MembershipEvent {
        let returning = members[info.id] != nil || recentlyLost.contains(info.id)
        members[info.id] = Member(info: info, session: session, freeSlots: info.slots, registeredAt: now,
                                  lastHeartbeat: now, lastHeartbeatEpochMillis: epochMillis)
        recountFreeSlots()
        recentlyLost.removeAll { $0 == info.id }
        return returning ? .rejoined(info) : .joined(info)
    }

    /// Records a heartbeat; false when the sender is not registered on this session (it must
    /// register again, e.g. after it was declared lost). The slots it reports free are not
    /// taken as the truth: they lag deployments by up to a heartbeat (`reserve` is).
    /// The result of the data-port check of `id`'s registration `session` (a later session's
    /// registration is not touched).
    public mutating func setDataPortProblem(_ problem: String?, id: String, session: UInt64) {
        guard members[id]?.session == session else { return }
        members[id]?.dataPortProblem = problem
    }

    public mutating func heartbeat(id: String, session: UInt64, now: ContinuousClock.Instant, epochMillis: Int64,
                                   usage: _ProtoMetricsSummary? = nil) -> Bool {
        guard var member = members[id], member.session == session else { return false }
        if let usage { member.usage = usage }
        member.lastHeartbeat = now
        member.lastHeartbeatEpochMillis = epochMillis
        members[id] = member
        return true
    }

    /// Places `job` on `slots` free slots (spread over the TaskManagers, `SlotAssignment`),
    /// replacing what it held before (a restarted attempt); returns the TaskManager of each
    /// slot, or nil — holding nothing then — when too few are free.
    public mutating func reserve(job: String, slots: Int) -> [String]? {
        reservations[job] = nil
        recountFreeSlots()
        let free = members.values.sorted { $0.info.id < $1.info.id }.map { ($0.info.id, $0.freeSlots) }
        guard let assigned = SlotAssignment.assign(slots: slots, freeSlots: free) else { return nil }
        reservations[job] = Dictionary(assigned.map { ($0, 1) }, uniquingKeysWith: +)
        recountFreeSlots()
        return assigned
    }

    /// `job` ended: its slots are free again.
    public mutating func release(job: String) {
        guard reservations.removeValue(forKey: job) != nil else { return }
        recountFreeSlots()
    }

    private mutating func recountFreeSlots() {
        var held: [String: Int] = [:]
        for (_, byTaskManager) in reservations {
            for (taskManager, count) in byTaskManager { held[taskManager, default: 0] += count }
        }
        for id in members.keys { members[id]!.freeSlots = max(0, members[id]!.info.slots - (held[id] ?? 0)) }
    }

    public mutating func connectionClosed(id: String, session: UInt64) -> MembershipEvent? {
        remove(id: id, session: session, cause: .connectionClosed)
    }

    public mutating func deregister(id: String, session: UInt64, reason: String) -> MembershipEvent? {
        remove(id: id, session: session, cause: .deregistered(reason: reason))
    }

    /// Declares lost every TaskManager silent for longer than `timeout`.
    public mutating func expire(now: ContinuousClock.Instant, timeout: Duration) -> [(event: MembershipEvent, session: UInt64)] {
        let overdue = members.values.filter { now - $0.lastHeartbeat > timeout }
        return overdue.compactMap { member in
            remove(id: member.info.id, session: member.session, cause: .heartbeatTimeout(silence: now - member.lastHeartbeat))
                .map { ($0, member.session) }
        }
    }

    public var slotsTotal: Int { members.values.reduce(0) { $0 + $1.info.slots } }
    public var slotsAvailable: Int { members.values.reduce(0) { $0 + $1.freeSlots } }

    private mutating func remove(id: String, session: UInt64, cause: MembershipEvent.LossCause) -> MembershipEvent? {
        guard let member = members[id], member.session == session else { return nil }
        members[id] = nil
        // Its slots went with it; the jobs that held them fail over and reserve anew.
        for job in reservations.keys { reservations[job]![id] = nil }
        recentlyLost.append(id)
        if recentlyLost.count > Self.recentlyLostLimit { recentlyLost.removeFirst() }
        return .lost(id: id, cause: cause)
    }
}
