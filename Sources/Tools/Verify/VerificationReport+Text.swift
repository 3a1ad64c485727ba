import SluiceEngine
import SluiceAttribution

extension VerificationReport {
    /// The report as the lines `sluice verify` prints.
    public var lines: [String] {
        var lines: [String] = []
        let records = partitions.reduce(0) { $0 + $1.recordsRead }
        lines.append("read \(records) records from \(partitions.count) partitions in \(DatagenProgress.fixed(readSeconds, 2)) s; "
            + "SQL parsed \(validClicks) clicks, \(validCheckouts) checkouts, \(malformedRecords) malformed")
        for snapshot in truncatedPartitions {
            lines.append("WARNING \(snapshot.partition): the broker no longer holds offsets 0..<\(snapshot.offsetsGone) "
                + "(\(snapshot.offsetsGone) records gone; the dev broker keeps ~5 MiB per partition)")
        }
        for snapshot in partitions where snapshot.unreadRecords > 0 {
            lines.append("WARNING \(snapshot.partition): \(snapshot.unreadRecords) offsets in [\(snapshot.firstAvailableOffset), "
                + "\(snapshot.watermarks.high)) had no record (gaps in the log)")
        }
        if let cutoffMillis {
            lines.append("comparing only checkouts at or after \(EventTimeFormat.format(cutoffMillis)) UTC (their inputs are all still in Kafka): "
                + "excluded \(rows.excludedExpected) expected checkouts and \(rows.excludedSink) sink rows before it")
        }
        if repeatedCheckoutIDs > 0 {
            lines.append("WARNING \(repeatedCheckoutIDs) checkout records repeat an earlier checkout_id (compared once)")
        }
        lines.append("expected \(rows.expected) checkouts: \(rows.attributed) attributed, \(rows.unattributed) unattributed, "
            + "\(rows.unknownUsers) by unknown users")
        lines.append("\(sinkTable): \(rows.sinkRows) rows; equal \(rows.equal), missing \(rows.missing), extra \(rows.extra), "
            + "different \(rows.different), late (in commerce.late_events) \(rows.late)"
            + (rows.differentExplainedByLateClicks > 0 ? ", different but explained by late clicks \(rows.differentExplainedByLateClicks)" : ""))
        if let watermarkMillis, rows.notDue > 0 {
            lines.append("not yet due: \(rows.notDue) expected checkouts are newer than the job's watermark "
                + "(\(EventTimeFormat.format(watermarkMillis)) UTC); the job emits them once its watermark passes them. "
                + "When the input is over, `sluice stop --drain JOB` emits them all")
        } else if rows.missing > 0 && watermarkMillis == nil {
            lines.append("hint: if the job still runs (or was stopped without --drain), the newest checkouts are not emitted yet: "
                + "pass --job JOB to count them apart, or stop the job with `sluice stop --drain JOB` once the input is over")
        }
        lines.append("dead letters: expected \(deadLetters.expected), found \(deadLetters.found), missing \(deadLetters.missing), "
            + "extra \(deadLetters.extra)"
            + (deadLetters.outsideReadOffsets > 0 ? " (\(deadLetters.outsideReadOffsets) more at offsets not read, ignored)" : ""))
        appendExamples("missing rows", missingExamples, total: rows.missing, to: &lines)
        appendExamples("extra rows", extraExamples, total: rows.extra, to: &lines)
        appendExamples("different rows", differentExamples, total: rows.different, to: &lines)
        appendExamples("missing dead letters", missingDeadLetterExamples, total: deadLetters.missing, to: &lines)
        appendExamples("extra dead letters", extraDeadLetterExamples, total: deadLetters.extra, to: &lines)
        lines.append("verify \(isEqual ? "PASSED: the sink equals the recomputed attribution" : "FAILED: the sink differs from the recomputed attribution") "
            + "(\(DatagenProgress.fixed(totalSeconds, 2)) s)")
        return lines
    }

    private func appendExamples(_ title: String, _ examples: [String], total: Int, to lines: inout [String]) {
        guard !examples.isEmpty else { return }
        lines.append("\(title) (\(examples.count) of \(total)):")
        lines.append(contentsOf: examples.map { "  " + $0 })
    }

    /// `checkout_id=… user_name=… …` for one row's text values (`ComparisonQueries.columns` order).
    static func describeRow(_ values: [String?]) -> String {
        zip(ComparisonQueries.columns, values).map { "\($0)=\(quoted($1))" }.joined(separator: " ")
    }

    /// `checkout <id>: click_id expected 'a', got 'b'; …` for the columns that differ.
    static func describeDifference(expected: [String?], actual: [String?]) -> String {
        let differences = zip(ComparisonQueries.columns, zip(expected, actual)).filter { $1.0 != $1.1 }
            .map { "\($0) expected \(quoted($1.0)), got \(quoted($1.1))" }
        return "checkout \(expected.first.flatMap { $0 } ?? "?"): " + differences.joined(separator: "; ")
    }

    static func quoted(_ value: String?) -> String {
        guard let value else { return "NULL" }
        let short = value.count > 80 ? String(value.prefix(80)) + "…" : value
        return "'\(short)'"
    }
}
