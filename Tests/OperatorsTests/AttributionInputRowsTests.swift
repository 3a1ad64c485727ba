import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import Testing

/// Clicks become rows on a hand-written path (no `RowBuilder`): its bytes must be exactly the
/// builder's, pass the row format's validation, and read back as the same click.
@Suite struct AttributionInputRowsTests {
    private static let clicks: [Click] = [
        Click(clickID: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", userID: 42, productID: "p-9", eventTime: 1_795_000_000_123),
        Click(clickID: "c-1ü", userID: -7, productID: "", eventTime: -5),
        Click(clickID: "x", userID: .max, productID: "Lampe für Küche 🚀 " + String(repeating: "long ", count: 60), eventTime: .min),
        Click(clickID: "7", userID: .min, productID: "0", eventTime: 0),
    ]

    @Test(arguments: clicks)
    func theHandWrittenClickRowIsTheBuildersRowAndReadsBack(click: Click) throws {
        var rows = AttributionInputRows()
        let fast = rows.row(click)
        let built = try rows.builtRow(click)
        #expect(fast == built)
        let validated = try Row(validating: fast.row.bytes, layout: AttributionInputRows.clickLayout)
        #expect(Click(row: validated) == click)
        #expect(fast.eventTime == click.eventTime)
    }
}
