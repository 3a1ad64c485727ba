import SluiceConnectorKinds
import SluiceEngine

/// The attribution job's inputs as rows: a decoded `Click` or `Checkout` becomes a row of
/// `AttributionSchemas.click` or `.checkout` at the source, and the attribution operator reads
/// the typed value back from the row (`Click(row:)`; a `Checkout` is its row). Between them the
/// records are plain rows: the keyed exchange, `sluice kinds` and every row operator see columns.
///
/// Owns a reused `RowBuilder` (for `builtRow`), so a row allocates only its own bytes. Used on one thread.
public struct AttributionInputRows {
    public static let clickLayout = RowLayout(AttributionSchemas.click)
    public static let checkoutLayout = RowLayout(AttributionSchemas.checkout)

    /// Column positions of `AttributionSchemas.click`.
    enum ClickPosition {
        static let clickID = 0, userID = 1, productID = 2, clickTime = 3
    }

    /// `total_amount`'s precision and scale, from the schema (the one place they are declared).
    static let amount: (precision: Int, scale: Int) = {
        guard case .decimal(let precision, let scale) = AttributionSchemas.checkout.columns[AttributedRowBuilder.Position.amount].type else {
            preconditionFailure("the checkout schema's total_amount is a decimal")
        }
        return (precision, scale)
    }()

    private var clicks = RowBuilder(Self.clickLayout)

    public init() {}

    /// The click's row. Written directly in the row format (no `RowBuilder`): clicks are most
    /// of the input, and this is the one row every click costs (a test holds the bytes equal to
    /// the builder's).
    public func row(_ click: Click) -> RowRecord {
        click.clickID.withUTF8 { row(clickID: $0, userID: click.userID, productID: click.productID, eventTime: click.eventTime) }
    }

    /// A click's row from its fields, the id as UTF-8 text.
    func row(clickID id: UnsafeRawBufferPointer, userID: Int64, productID: String, eventTime: Int64) -> RowRecord {
        let fixed = Self.clickLayout.fixedSize
        var product = productID
        let bytes = product.withUTF8 { product in
            let size = fixed + id.count + product.count
            return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw[0] = 0  // no column is NULL
                func slot(_ index: Int, _ value: UInt64) {
                    raw.storeBytes(of: value.littleEndian, toByteOffset: 1 + 8 * index, as: UInt64.self)
                }
                slot(ClickPosition.clickID, UInt64(fixed) << 32 | UInt64(id.count))
                slot(ClickPosition.userID, UInt64(bitPattern: userID))
                slot(ClickPosition.productID, UInt64(fixed + id.count) << 32 | UInt64(product.count))
                slot(ClickPosition.clickTime, UInt64(bitPattern: eventTime))
                UnsafeMutableRawBufferPointer(rebasing: raw[fixed...]).copyMemory(from: id)
                UnsafeMutableRawBufferPointer(rebasing: raw[(fixed + id.count)...]).copyMemory(from: UnsafeRawBufferPointer(product))
                count = size
            }
        }
        return RowRecord(row: Row(laidOut: bytes), eventTime: eventTime)
    }

    /// The click's row built the general way: what `row(_:)` must equal (tests).
    public mutating func builtRow(_ click: Click) throws(RecordDecodingError) -> RowRecord {
        click.clickID.withUTF8 { clicks.setVariable(ClickPosition.clickID, $0) }
        clicks.setInt64(ClickPosition.userID, click.userID)
        clicks.setString(ClickPosition.productID, click.productID)
        clicks.setInt64(ClickPosition.clickTime, click.eventTime)
        return RowRecord(row: try Self.finish(&clicks), eventTime: click.eventTime)
    }

    /// The checkout's row: the checkout is its row (`Checkout`).
    public func row(_ checkout: Checkout) -> RowRecord {
        RowRecord(row: checkout.row, eventTime: checkout.eventTime)
    }

    /// Every column is set by the callers, so this fails only if the schema gained one (a bug:
    /// the record is dead-lettered with it rather than the task crashing).
    static func finish(_ builder: inout RowBuilder) throws(RecordDecodingError) -> Row {
        do {
            return try builder.finish()
        } catch {
            throw .invalidValue(field: "(row)", detail: error.message)
        }
    }
}

extension Click {
    /// The click a row of `AttributionSchemas.click` holds.
    public init(row: Row) {
        typealias Position = AttributionInputRows.ClickPosition
        let layout = AttributionInputRows.clickLayout
        self.init(clickID: row.withVariable(Position.clickID, layout) { EventID(validUTF8: $0) },
                  userID: row.int64(Position.userID, layout),
                  productID: row.string(Position.productID, layout),
                  eventTime: row.int64(Position.clickTime, layout))
    }
}
