/// The users of `commerce.users` and the history of their names, all determined by the seed.
///
/// Every user 1…N starts with a version valid from `startTime − 1 day`; about 20 % of them are
/// renamed once or twice at instants spread over the event-time range the events will cover, so
/// `commerce.users_history` holds several versions and checkouts fall before and after a change.
public struct UserCatalog: Sendable {
    /// One version of a user, valid from `validFrom` (epoch milliseconds) until the next one.
    public struct Version: Sendable, Hashable {
        public var userID: Int64
        public var username: String
        public var password: String
        public var validFrom: Int64
    }

    /// Share of users that get renamed during the event range.
    public static let renamedShare = 0.2

    public let count: Int
    /// Version 1 of every user, by id order.
    public let initialVersions: [Version]
    /// `updateRounds[0]` are the first renames, `updateRounds[1]` the second ones (each user at
    /// most once per round, and a user's second rename is later than its first).
    public let updateRounds: [[Version]]
    /// The renames of each renamed user, oldest first.
    private let renames: [Int64: [Version]]

    /// `users` users whose renames fall in `[eventStart, eventStart + eventSpan)`.
    public init(users: Int, seed: UInt64, eventStart: Int64, eventSpan: Int64) {
        var random = SeededGenerator(seed: seed ^ 0x5553_4552_5321)  // "USERS!"
        let created = eventStart - 86_400_000
        let span = max(eventSpan, 1)
        count = users
        var initial: [Version] = []
        var first: [Version] = []
        var second: [Version] = []
        initial.reserveCapacity(users)
        for id in Int64(1)...Int64(max(users, 1)) where users > 0 {
            let base = "\(random.pick(Vocabulary.firstNames)).\(random.pick(Vocabulary.lastNames))\(id)"
            let password = String(random.next(), radix: 16)
            initial.append(Version(userID: id, username: base, password: password, validFrom: created))
            guard random.chance(Self.renamedShare) else { continue }
            let renames = random.chance(0.5) ? 2 : 1
            var instants = (0..<renames).map { _ in eventStart + Int64(random.below(Int(span))) }.sorted()
            if renames == 2, instants[1] <= instants[0] { instants[1] = instants[0] + 1 }
            for (round, instant) in instants.enumerated() {
                let renamed = "\(random.pick(Vocabulary.firstNames))_\(random.pick(Vocabulary.lastNames))\(id).v\(round + 2)"
                let version = Version(userID: id, username: renamed, password: password, validFrom: instant)
                if round == 0 { first.append(version) } else { second.append(version) }
            }
        }
        initialVersions = initial
        updateRounds = [first, second]
        renames = Dictionary(grouping: first + second, by: \.userID).mapValues { $0.sorted { $0.validFrom < $1.validFrom } }
    }

    /// Every version of every user, oldest first per user.
    public var allVersions: [Version] {
        (initialVersions + updateRounds.flatMap { $0 }).sorted { ($0.userID, $0.validFrom) < ($1.userID, $1.validFrom) }
    }

    /// The user name valid at `time`, or nil for an unknown user (the SCD2 rule:
    /// `valid_from <= time < next valid_from`).
    public func username(of userID: Int64, at time: Int64) -> String? {
        guard userID >= 1, userID <= Int64(count) else { return nil }
        let versions = [initialVersions[Int(userID - 1)]] + (renames[userID] ?? [])
        return versions.last { $0.validFrom <= time }?.username
    }
}
