import Foundation
import Prometheus

/// The process's resident memory (`/proc/self/statm`) and CPU time (`getrusage`), refreshed
/// at each scrape. Thread-safe: the CPU counter is fed under the caller's lock
/// (`TaskManagerMetrics.render`); reading the OS figures has no shared state.
struct ProcessMetrics: Sendable {
    private let resident: Gauge
    private let cpu: Counter

    init(registry: PrometheusCollectorRegistry, labels: [(String, String)]) {
        resident = registry.makeGauge(descriptor: MetricName.residentMemory, labels: labels)
        cpu = registry.makeCounter(descriptor: MetricName.cpu, labels: labels)
    }

    /// Sets the gauges; `exportedCPU` is the CPU time already added to the counter.
    func refresh(exportedCPU: inout Double) {
        if let bytes = Self.residentBytes() { resident.set(Double(bytes)) }
        let seconds = Self.cpuSeconds()
        if seconds > exportedCPU {
            cpu.increment(by: seconds - exportedCPU)
            exportedCPU = seconds
        }
    }

    /// Resident pages × page size; nil where `/proc` is missing (not Linux) or unreadable.
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// User plus system CPU seconds of the whole process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
