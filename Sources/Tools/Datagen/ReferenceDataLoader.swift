import SluiceEngine
import SluiceAttribution
import SluicePostgres

/// Writes the datagen's users and products into PostgreSQL, before any event is produced.
///
/// Users 1…N are replaced, history included (they are synthetic and belong to the datagen):
/// deleted, inserted with `updated_at = start − 1 day`, then renamed round by round with
/// `updated_at` inside the event range, so the SCD2 trigger on `commerce.users` builds a
/// consistent `commerce.users_history`. Products are upserted. All in one transaction, through
/// COPY into temporary tables, so a million users load in seconds.
public struct ReferenceDataLoader {
    /// What was written.
    public struct Counts: Sendable, Hashable {
        public var users: Int
        public var renames: Int
        public var products: Int
    }

    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Loads `users` and `products`; throws `DatagenError.schemaMissing` when the tables are absent.
    @discardableResult
    public func load(users: UserCatalog, products: ProductCatalog) throws -> Counts {
        for table in ["commerce.users", "commerce.users_history", "commerce.products"] {
            guard try SchemaLoader.tableExists(table, on: connection) else { throw DatagenError.schemaMissing(table: table) }
        }
        return try connection.transaction { connection in
            try connection.simpleQuery("""
                CREATE TEMP TABLE datagen_users (id BIGINT, username TEXT, password TEXT, updated_at TIMESTAMP(3)) ON COMMIT DROP;
                CREATE TEMP TABLE datagen_products (id TEXT, name TEXT, price NUMERIC(12, 2)) ON COMMIT DROP
                """)
            let maxID = "\(users.count)"
            try connection.execute("DELETE FROM commerce.users_history WHERE id BETWEEN 1 AND $1", [maxID])
            try connection.execute("DELETE FROM commerce.users WHERE id BETWEEN 1 AND $1", [maxID])
            try copy(users.initialVersions, into: connection)
            try connection.simpleQuery("""
                INSERT INTO commerce.users (id, username, password, updated_at)
                SELECT id, username, password, updated_at FROM datagen_users ORDER BY id
                """)
            var renames = 0
            for round in users.updateRounds where !round.isEmpty {
                try connection.simpleQuery("TRUNCATE datagen_users")
                try copy(round, into: connection)
                try connection.simpleQuery("""
                    UPDATE commerce.users u SET username = d.username, password = d.password, updated_at = d.updated_at
                    FROM datagen_users d WHERE u.id = d.id
                    """)
                renames += round.count
            }
            try connection.copyIn(table: "datagen_products", columns: ["id", "name", "price"], rows: products.products.lazy.map {
                [$0.id, $0.name, ProductCatalog.decimalText(cents: $0.priceCents)]
            })
            try connection.simpleQuery("""
                INSERT INTO commerce.products (id, name, price) SELECT id, name, price FROM datagen_products
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, price = EXCLUDED.price
                """)
            connection.logger.info("loaded reference data", metadata: [
                "users": "\(users.count)", "renames": "\(renames)", "products": "\(products.products.count)"])
            return Counts(users: users.count, renames: renames, products: products.products.count)
        }
    }

    private func copy(_ versions: [UserCatalog.Version], into connection: PostgresConnection) throws {
        try connection.copyIn(table: "datagen_users", columns: ["id", "username", "password", "updated_at"], rows: versions.lazy.map {
            ["\($0.userID)", $0.username, $0.password, EventTimeFormat.format($0.validFrom)]
        })
    }
}
