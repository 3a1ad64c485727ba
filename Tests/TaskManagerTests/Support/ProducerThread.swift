import Foundation
import Synchronization
@testable import SluiceTaskManager

/// A producer task's thread: sends `events` through `output` in order, and publishes how far it
/// got — sends entered, sends completed, the error that stopped it — for tests to wait on.
final class ProducerThread: Sendable {
    private struct Progress {
        var entered = 0
        var completed = 0
        var error: DataPlaneError?
        var finished = false
    }

    private let progress = Mutex(Progress())

    private init() {}

    /// Starts the thread at once.
    static func start(sending events: [ChannelEvent], through output: OutputChannel) -> ProducerThread {
        let producer = ProducerThread()
        let thread = Thread {
            for event in events {
                producer.progress.withLock { $0.entered += 1 }
                do throws(DataPlaneError) {
                    try output.send(event)
                } catch {
                    producer.progress.withLock { $0.error = error; $0.finished = true }
                    return
                }
                producer.progress.withLock { $0.completed += 1 }
            }
            producer.progress.withLock { $0.finished = true }
        }
        thread.name = "test-producer \(output.key)"
        thread.start()
        return producer
    }

    /// Sends begun, including one still blocked inside `send`.
    var entered: Int { progress.withLock { $0.entered } }
    /// Sends that returned normally.
    var completed: Int { progress.withLock { $0.completed } }
    var error: DataPlaneError? { progress.withLock { $0.error } }
    var finished: Bool { progress.withLock { $0.finished } }
}
