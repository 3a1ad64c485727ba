import Foundation
import Synchronization

/// Set by SIGINT/SIGTERM, so an unbounded datagen run stops, flushes and prints its summary
/// instead of dying with records in flight.
let stopRequested = Atomic<Bool>(false)

enum StopSignal {
    static func install() {
        let handler: @convention(c) (Int32) -> Void = { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    static var isRequested: Bool { stopRequested.load(ordering: .relaxed) }
}
