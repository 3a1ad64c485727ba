/// Why a failure-injection pipeline could not be set up, and what to change.
enum ChaosPipelineError: Error, CustomStringConvertible {
    case unreadableDatagenSummary(String)
    case brokerDroppedData(String)

    var description: String {
        switch self {
        case .unreadableDatagenSummary(let output):
            return "cannot find 'clicks N, checkouts M … malformed K' in the datagen output; did DatagenSummary.lines change?\n\(output.suffix(2_000))"
        case .brokerDroppedData(let output):
            return "the dev broker dropped old data (~5 MiB per partition), so `sluice verify` would judge only part of the input; "
                + "give the topics more partitions or generate fewer events\n\(output.suffix(2_000))"
        }
    }
}
