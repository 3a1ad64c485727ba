import SluiceJobManager
import Testing

@Suite struct MembershipTableTests {
    private let t0 = ContinuousClock.now
    private func tm(_ id: String, slots: Int = 2) -> TaskManagerInfo {
        TaskManagerInfo(id: id, host: "127.0.0.1", dataPort: 7000, slots: slots)
    }

    @Test func firstRegistrationJoinsAndCountsSlots() {
        var table = MembershipTable()
        let event = table.register(tm("a", slots: 2), session: 1, now: t0, epochMillis: 0)
        #expect(event == .joined(tm("a", slots: 2)))
        let event2 = table.register(tm("b", slots: 3), session: 2, now: t0, epochMillis: 0)
        #expect(event2 == .joined(tm("b", slots: 3)))
        #expect(table.members.count == 2)
        #expect(table.slotsTotal == 5)
        #expect(table.slotsAvailable == 5)
    }

    @Test func silentTaskManagerIsLostAfterTheTimeoutAndNotBefore() {
        var table = MembershipTable()
        _ = table.register(tm("a"), session: 1, now: t0, epochMillis: 0)
        _ = table.register(tm("b"), session: 2, now: t0, epochMillis: 0)
        let known = table.heartbeat(id: "b", session: 2, now: t0 + .seconds(4), epochMillis: 4_000)
        #expect(known)
        let expiredAtTimeout = table.expire(now: t0 + .seconds(5), timeout: .seconds(5))
        #expect(expiredAtTimeout.isEmpty, "exactly at the timeout is not over it")
        let expired = table.expire(now: t0 + .milliseconds(5_001), timeout: .seconds(5))
        #expect(expired.map(\.event) == [.lost(id: "a", cause: .heartbeatTimeout(silence: .milliseconds(5_001)))])
        #expect(table.members.keys.sorted() == ["b"])
    }

    @Test func lostTaskManagerComingBackIsReportedAsRejoined() {
        var table = MembershipTable()
        _ = table.register(tm("a"), session: 1, now: t0, epochMillis: 0)
        let closeEvent = table.connectionClosed(id: "a", session: 1)
        #expect(closeEvent == .lost(id: "a", cause: .connectionClosed))
        let event = table.register(tm("a"), session: 2, now: t0, epochMillis: 0)
        #expect(event == .rejoined(tm("a")))
        #expect(table.members["a"]?.session == 2)
    }

    @Test func lateCloseOfAnOldConnectionDoesNotRemoveTheReRegisteredTaskManager() {
        var table = MembershipTable()
        _ = table.register(tm("a"), session: 1, now: t0, epochMillis: 0)
        _ = table.register(tm("a"), session: 2, now: t0, epochMillis: 0)
        let closeEvent = table.connectionClosed(id: "a", session: 1)
        #expect(closeEvent == nil)
        #expect(table.members["a"]?.session == 2)
    }

    @Test func heartbeatFromAnUnknownOrStaleSessionAsksForRegistration() {
        var table = MembershipTable()
        let known = table.heartbeat(id: "ghost", session: 9, now: t0, epochMillis: 0)
        #expect(!known)
        _ = table.register(tm("a"), session: 1, now: t0, epochMillis: 0)
        let known2 = table.heartbeat(id: "a", session: 7, now: t0, epochMillis: 0)
        #expect(!known2)
        let known3 = table.heartbeat(id: "a", session: 1, now: t0, epochMillis: 0)
        #expect(known3)
    }

    @Test func slotsAreTakenWhenAJobIsPlacedNotWhenAHeartbeatSaysSo() {
        var table = MembershipTable()
        _ = table.register(tm("a", slots: 2), session: 1, now: t0, epochMillis: 0)
        _ = table.register(tm("b", slots: 2), session: 2, now: t0, epochMillis: 0)
        #expect(table.reserve(job: "j1", slots: 2) == ["a", "b"])
        #expect(table.slotsAvailable == 2, "two jobs placed within one heartbeat never share a slot")
        #expect(table.reserve(job: "j2", slots: 2) == ["a", "b"])
        #expect(table.slotsAvailable == 0)
        #expect(table.reserve(job: "j3", slots: 1) == nil, "nothing free")
        #expect(table.reservations["j3"] == nil, "a refused placement holds nothing")
        #expect(table.reserve(job: "j1", slots: 1) == ["a"], "a new attempt replaces what the job held")
        #expect(table.slotsAvailable == 1)
        table.release(job: "j2")
        #expect(table.slotsAvailable == 3 && table.members["a"]?.freeSlots == 1 && table.members["b"]?.freeSlots == 2)
    }

    @Test func aLostTaskManagersSlotsLeaveWithIt() {
        var table = MembershipTable()
        _ = table.register(tm("a", slots: 2), session: 1, now: t0, epochMillis: 0)
        _ = table.register(tm("b", slots: 2), session: 2, now: t0, epochMillis: 0)
        _ = table.reserve(job: "j1", slots: 2)
        _ = table.connectionClosed(id: "a", session: 1)
        #expect(table.reservations["j1"] == ["b": 1])
        _ = table.register(tm("a", slots: 2), session: 3, now: t0, epochMillis: 0)
        #expect(table.members["a"]?.freeSlots == 2 && table.slotsAvailable == 3)
    }

    @Test func heartbeatRecordsWallClockTimeForTheRESTAPI() {
        var table = MembershipTable()
        _ = table.register(tm("a"), session: 1, now: t0, epochMillis: 1_000)
        _ = table.heartbeat(id: "a", session: 1, now: t0 + .seconds(1), epochMillis: 2_000)
        #expect(table.members["a"]?.lastHeartbeatEpochMillis == 2_000)
    }
}
