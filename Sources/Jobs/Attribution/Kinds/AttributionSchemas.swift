import SluiceConnectorKinds
import SluiceEngine

/// The rows of the attribution job (DESIGN.md §7), as they flow between its operators.
///
/// Sources decode only what operators read: a click carries its id, user, product and time
/// (the decoder still checks the other JSON fields and dead-letters a record with a bad one).
public enum AttributionSchemas {
    public static let click = Schema(name: "click", columns: [
        Column("click_id", .string), Column("user_id", .int64), Column("product_id", .string),
        Column("click_time", .timestamp),
    ], eventTime: "click_time")

    public static let checkout = Schema(name: "checkout", columns: [
        Column("checkout_id", .string), Column("user_id", .int64), Column("product_id", .string),
        Column("payment_method", .string), Column("total_amount", .decimal(precision: 12, scale: 2)),
        Column("shipping_address", .string), Column("billing_address", .string), Column("user_agent", .string),
        Column("ip_address", .string), Column("checkout_time", .timestamp),
    ], eventTime: "checkout_time")

    /// A checkout with its first click in the window (NULL click columns when there was none).
    public static let attributed = checkout.appending([
        Column("click_id", .string, nullable: true), Column("click_time", .timestamp, nullable: true),
    ], name: "attributed checkout")

    /// An attributed checkout with the buyer's name as of the checkout time (NULL for an unknown user).
    public static let enriched = UserEnrichmentKind.output(of: attributed)

    /// Refuses `schema` on input `index` unless it equals `expected`: the operators of this job
    /// read their columns by position (into the typed values of the logic), not by name, so a
    /// look-alike will not do.
    static func require(_ expected: Schema, on index: Int, of inputs: [Schema], wiring hint: String) throws(SchemaRuleError) {
        guard inputs[index] != expected else { return }
        let detail = inputs[index].mismatch(against: expected.columns).map { "it \($0)" } ?? "its columns differ"
        throw SchemaRuleError("inputs[\(index)]", "needs \(expected.name) rows, \(expected); \(detail). \(hint)")
    }
}
