#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// Turns SIGTERM/SIGINT into something the main thread can wait for.
///
/// Owns the dispatch signal sources; the signals' default actions are disabled, and the
/// sources, running on their own queue, record the first signal and wake the waiter.
/// Created once, at start, by the thread that then calls `wait`; lives for the process.
final class ShutdownSignal {
    /// The part the signal handlers touch: the first signal received and a wake-up.
    private final class Latch: Sendable {
        let received = Atomic<Int32>(0)
        let wakeUp = DispatchSemaphore(value: 0)

        func trigger(_ number: Int32) {
            if received.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing).exchanged {
                wakeUp.signal()
            }
        }
    }

    private let latch = Latch()
    private let queue = DispatchQueue(label: "sluice.devbroker.signals")
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [latch] in latch.trigger(number) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Waits up to `timeout`; returns the signal number once one arrived, nil on timeout.
    func wait(timeout: Duration) -> Int32? {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        _ = latch.wakeUp.wait(timeout: .now() + .nanoseconds(nanoseconds))
        let number = latch.received.load(ordering: .acquiring)
        return number == 0 ? nil : number
    }
}
