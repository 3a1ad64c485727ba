import SluiceEngine
import Synchronization

/// Histograms the TaskManager renders itself, because they are fed whole batches of
/// pre-bucketed observations (`HistogramCounts`) that swift-prometheus' histograms cannot take
/// (they record one value at a time, under a lock each).
///
/// One per process, next to the registry (`TaskManagerMetrics.render` appends `render()` to its
/// text; the names are never registered there, so no family appears twice). Thread-safe: one
/// mutex, taken once per series and scrape. Invariants: a series' counts only grow (tasks add
/// what they observed since their last export, so a new attempt continues the old one's
/// series); one help text per family; output is sorted by name and labels, so scrapes are stable.
final class HistogramFamilies: Sendable {
    private struct Family {
        var help: String
        var series: [String: HistogramCounts] = [:]
    }

    private let families = Mutex<[String: Family]>([:])

    init() {}

    /// Adds `delta` to the series `name{labels}`, creating it (at `delta`) on first use.
    func add(_ delta: HistogramCounts, to name: String, help: String, labels: [(String, String)]) {
        let key = PrometheusLabels.render(labels)
        families.withLock { families in
            var family = families[name] ?? Family(help: help)
            if var series = family.series[key] {
                series.add(delta)
                family.series[key] = series
            } else {
                family.series[key] = delta
            }
            families[name] = family
        }
    }

    /// The exposition text of every family: HELP, TYPE, then per series the cumulative
    /// `_bucket` lines, `_sum` and `_count`.
    func render() -> String {
        let current = families.withLock { $0 }
        var text = ""
        for (name, family) in current.sorted(by: { $0.key < $1.key }) {
            text += "# HELP \(name) \(family.help)\n# TYPE \(name) histogram\n"
            for (labels, counts) in family.series.sorted(by: { $0.key < $1.key }) {
                let prefix = labels.isEmpty ? "" : labels + ","
                for (bound, cumulative) in zip(counts.upperBounds.map { "\($0)" } + ["+Inf"], counts.cumulativeCounts) {
                    text += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(cumulative)\n"
                }
                text += "\(name)_sum{\(labels)} \(counts.sum)\n\(name)_count{\(labels)} \(counts.count)\n"
            }
        }
        return text
    }
}
