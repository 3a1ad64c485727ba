import SluiceEngine

/// The `event` parameter of the JSON sources: which record schema (and decoder) they read.
/// Until sources take a `schema:` of their own, these are the attribution job's two event kinds.
public enum EventParameter {
    public static let declaration = ParameterDeclaration(
        "event", .choice(["click", "checkout"]), .required,
        doc: "which JSON records the source reads: click or checkout (DESIGN.md §7); picks the output schema")

    static func schema(_ params: [String: String]) throws(SchemaRuleError) -> Schema {
        switch params[declaration.name] {
        case "click": AttributionSchemas.click
        case "checkout": AttributionSchemas.checkout
        case let other: throw SchemaRuleError("params.event", "must be click or checkout, got '\(other ?? "nothing")'")
        }
    }

    static let outputDoc = "`\(AttributionSchemas.click)` for `event: click`, `\(AttributionSchemas.checkout)` for "
        + "`event: checkout`; event time from the JSON field `datetime_occured`; malformed records go to `commerce.dead_letters`"
}
