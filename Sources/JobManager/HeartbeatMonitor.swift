import NIOCore
import NIOPosix
import ServiceLifecycle

/// Declares TaskManagers lost when their heartbeats stop.
///
/// Checks `Membership` on an event-loop timer several times per timeout, so a silent
/// TaskManager is noticed within `timeout + checkInterval`. Stops on graceful shutdown.
public struct HeartbeatMonitor: Service {
    private let membership: Membership
    private let checkInterval: Duration

    public init(membership: Membership, checkInterval: Duration) {
        self.membership = membership
        self.checkInterval = checkInterval
    }

    public func run() async throws {
        let membership = membership
        let task = MultiThreadedEventLoopGroup.singleton.next().scheduleRepeatedTask(
            initialDelay: TimeAmount(checkInterval), delay: TimeAmount(checkInterval)
        ) { _ in
            membership.expireOverdue()
        }
        try? await gracefulShutdown()
        task.cancel()
    }
}
