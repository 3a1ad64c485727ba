import Foundation
import Logging
import SluicePostgres
import SluiceConnectorKinds
import SluiceEngine

/// Adds the user's name, as of each row's event time, to rows with a `user_id` (the attribution
/// job's attributed checkouts): the output row is the input row plus `user_name`.
///
/// Reads the SCD2 history `commerce.users_history` in batches (one query per batch of rows,
/// only for users not cached) and keeps each user's versions in a bounded cache that expires
/// after `cache-ttl`, so later user changes are seen. Unknown users get a NULL name and are
/// counted, never dropped. Owns one connection; runs on the task thread.
public final class UserEnrichmentOperator: StreamOperator, CountingOperator {
    struct Version {
        var validFrom: Int64
        var validTo: Int64?
        var username: String
    }

    private struct CacheEntry {
        var versions: [Version]
        var fetchedAt: Date
    }

    private var connection: PostgresConnection?
    private var retry = PostgresRetry(logger: Logger(label: "sluice.enrich"))
    private var cache: [Int64: CacheEntry] = [:]
    private var cacheSize = 100_000
    private var batchSize = 500
    private let cacheTTL: TimeInterval = 60
    private var pending: [RowRecord] = []
    private var input = RowLayout(Schema(name: "none", columns: []))
    private var builder = RowBuilder(RowLayout(Schema(name: "none", columns: [])))
    private var userColumn = 0
    private var nameColumn = 0
    public private(set) var unknownUsers = 0
    public private(set) var cacheHits = 0
    public private(set) var cacheMisses = 0
    /// Share of user lookups the cache answered; NaN before the first lookup.
    public var cacheHitRatio: Double { Self.hitRatio(hits: cacheHits, misses: cacheMisses) }

    public init() {}

    public func count(of event: String) -> Int? {
        switch event {
        case "cache_hits": cacheHits
        case "cache_misses": cacheMisses
        case "unknown_users": unknownUsers
        default: nil
        }
    }

    public func open(context: OperatorContext) throws {
        guard let url = try context.value(UserEnrichmentKind.postgres) ?? context.environment.postgresURL else {
            throw OperatorError.configuration(context.operatorID, "no PostgreSQL URL: set params.postgres or postgres.url(-file) in the TaskManager config")
        }
        cacheSize = try context.integer(UserEnrichmentKind.cacheSize)
        batchSize = try context.integer(UserEnrichmentKind.batchSize)
        retry.logger = context.logger
        input = try context.inputLayout()
        let output = try context.outputLayout()
        guard let user = input.schema.index(of: UserEnrichmentKind.userColumn), let name = output.schema.index(of: UserEnrichmentKind.nameColumn),
              input.eventTimeColumn != nil else {
            throw OperatorError.configuration(context.operatorID, "needs rows with \(UserEnrichmentKind.userColumn) and an event time (submission checks this)")
        }
        guard output.begins(with: input) else {
            throw OperatorError.configuration(context.operatorID, "its output must start with the input's columns (the kind derives it so: a bug if not)")
        }
        userColumn = user
        nameColumn = name
        builder = RowBuilder(output)
        connection = try PostgresConnection.connect(url: url, logger: context.logger)
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        pending.append(record)
        if pending.count >= batchSize { try resolve(output: output) }
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {
        try resolve(output: output)
    }

    public func onTick(output: any RecordOutput) throws {
        try resolve(output: output)
    }

    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws {
        // Rows waiting for their lookup were received before the barrier: they must leave before it.
        try resolve(output: output)
    }

    public func finish(output: any RecordOutput) throws {
        try resolve(output: output)
    }

    public func close() {
        connection = nil
    }

    /// hits / (hits + misses), NaN when there was no lookup (a ratio of nothing is undefined, not 0).
    static func hitRatio(hits: Int, misses: Int) -> Double {
        let lookups = hits + misses
        return lookups > 0 ? Double(hits) / Double(lookups) : .nan
    }

    private func resolve(output: any RecordOutput) throws {
        guard !pending.isEmpty else { return }
        let now = Date()
        let missing = Set(pending.map { $0.row.int64(userColumn, input) }).filter { id in
            guard let entry = cache[id] else { return true }
            return now.timeIntervalSince(entry.fetchedAt) > cacheTTL
        }
        cacheMisses += missing.count
        cacheHits += pending.count - missing.count
        if !missing.isEmpty { try fetch(Array(missing), now: now) }
        for record in pending {
            let versions = cache[record.row.int64(userColumn, input)]?.versions ?? []
            let time = record.eventTime
            builder.copyColumns(of: record.row, layout: input)
            if let name = versions.first(where: { $0.validFrom <= time && ($0.validTo.map { time < $0 } ?? true) })?.username {
                builder.setString(nameColumn, name)
            } else {
                unknownUsers += 1
            }
            try output.emit(RowRecord(row: try builder.finish(), eventTime: time))
        }
        pending.removeAll(keepingCapacity: true)
    }

    private func fetch(_ ids: [Int64], now: Date) throws {
        guard let connection else { return }
        if cache.count + ids.count > cacheSize { cache.removeAll(keepingCapacity: true) }
        let list = "{" + ids.map(String.init).joined(separator: ",") + "}"
        let result = try retry.run(connection, "look up \(ids.count) users") {
            try $0.execute("""
                SELECT id, username, (extract(epoch FROM valid_from) * 1000)::bigint,
                       (extract(epoch FROM valid_to) * 1000)::bigint
                FROM commerce.users_history WHERE id = ANY($1::bigint[]) ORDER BY id, valid_from
                """, [list])
        }
        var found: [Int64: [Version]] = [:]
        for row in 0..<result.rowCount {
            guard let id = result.value(row: row, column: 0).flatMap({ Int64($0) }),
                  let from = result.value(row: row, column: 2).flatMap({ Int64($0) }) else { continue }
            found[id, default: []].append(Version(validFrom: from, validTo: result.value(row: row, column: 3).flatMap { Int64($0) },
                                                  username: result.value(row: row, column: 1) ?? ""))
        }
        for id in ids { cache[id] = CacheEntry(versions: found[id] ?? [], fetchedAt: now) }
    }
}

extension UserEnrichmentOperator: MeasuredOperator {
    public func gauges() -> [GaugeReading] {
        [GaugeReading(UserEnrichmentKind.cacheHitRatio, value: cacheHitRatio)]
    }
}
