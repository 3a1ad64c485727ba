/// What one `sluice datagen` run produced, read from its summary line
/// (`clicks N, checkouts M (…), malformed K`), so tests can size throttles by the real split
/// and compare the dead letters with the exact number of malformed records.
struct GeneratedInput: Sendable {
    var clicks: Int
    var checkouts: Int
    var malformed: Int
    /// datagen's whole output, for failure messages.
    var output: String

    init(datagenOutput output: String) throws {
        guard let match = output.firstMatch(of: #/clicks (\d+), checkouts (\d+) .*malformed (\d+)/#),
              let clicks = Int(match.1), let checkouts = Int(match.2), let malformed = Int(match.3) else {
            throw ChaosPipelineError.unreadableDatagenSummary(output)
        }
        self.clicks = clicks
        self.checkouts = checkouts
        self.malformed = malformed
        self.output = output
    }
}
