import SluiceEngine

/// The attribution job's record formats for the JSON sources (`format: click`, `format: checkout`):
/// the clicks and checkouts topics' JSON, read by the job's own field rules (DESIGN.md §7), into
/// rows of `AttributionSchemas`.
public enum AttributionFormats {
    public static let click = RecordFormatDeclaration(
        name: "click", summary: "a click of the clicks topic by the attribution job's field rules, event time from datetime_occured",
        schema: AttributionSchemas.click)
    public static let checkout = RecordFormatDeclaration(
        name: "checkout",
        summary: "a checkout of the checkouts topic by the attribution job's field rules, event time from datetime_occured",
        schema: AttributionSchemas.checkout)

    public static let declarations = [click, checkout]

    /// The decoders behind the declarations, for the sources' factories.
    public static let formats = [
        RecordFormat(click) { ClickRowDecoder(maxRecordBytes: $0) },
        RecordFormat(checkout) { CheckoutRowDecoder(maxRecordBytes: $0) },
    ]
}
