import SluiceEngine

/// `first-click-attribution`: each checkout gets the earliest click of its user on its product
/// in the window before it (DESIGN.md §7), from keyed state in RocksDB.
public enum FirstClickAttributionKind {
    public static let keyColumns = ["user_id", "product_id"]

    public static let windowMs = ParameterDeclaration(
        "window-ms", .integer(1...(366 * 86_400_000)), .defaulted("3600000"),
        doc: "how far before a checkout its click may be")
    public static let emitMode = ParameterDeclaration(
        "emit-mode", .choice(["on-watermark", "eager"]), .defaulted("on-watermark"),
        doc: "on-watermark: emit once the watermark passes the checkout (deterministic); eager: at once, corrected by upserts")
    public static let stateCacheMb = ParameterDeclaration(
        "state-cache-mb", .integer(0...65_536), .defaulted("128"),
        doc: "decoded state of hot keys kept in memory per subtask in front of RocksDB")

    public static let declaration = OperatorKindDeclaration(
        name: "first-click-attribution", role: .operator,
        summary: "Attributes every checkout to the earliest click of its user on its product within the window before it "
            + "(ties: the smaller click_id); every checkout yields one row, NULL click columns without a click.",
        parameters: [windowMs, emitMode, stateCacheMb],
        inputs: [.init("clicks", doc: "`\(AttributionSchemas.click)`"),
                 .init("checkouts", doc: "`\(AttributionSchemas.checkout)`")],
        keying: .keyed(columns: keyColumns),
        output: "`\(AttributionSchemas.attributed)`",
        metrics: [.init("attributed", doc: "checkouts with a click"), .init("unattributed", doc: "checkouts without one"),
                  .init("late", doc: "records behind the watermark, sent to commerce.late_events")],
        schemaRule: { (input) throws(SchemaRuleError) in
            try AttributionSchemas.require(AttributionSchemas.click, on: 0, of: input.inputs,
                                           wiring: "Its first input must be a click source (format: click).")
            try AttributionSchemas.require(AttributionSchemas.checkout, on: 1, of: input.inputs,
                                           wiring: "Its second input must be a checkout source (format: checkout).")
            return AttributionSchemas.attributed
        })
}
