/// Which record a source reads, from its `event` parameter; picks the decoder.
enum EventKind: String {
    case click, checkout

    init(parameter value: String, operatorID: String) throws {
        guard let kind = EventKind(rawValue: value) else {
            throw OperatorError.configuration(operatorID, "parameter 'event' must be 'click' or 'checkout', got '\(value)'")
        }
        self = kind
    }

    /// Decodes one JSON record; the error's description is the dead-letter reason.
    func decode(_ bytes: UnsafeRawBufferPointer, clicks: ClickDecoder, checkouts: CheckoutDecoder) throws(RecordDecodingError) -> StreamRecord {
        switch self {
        case .click: .click(try clicks.decode(bytes))
        case .checkout: .checkout(try checkouts.decode(bytes))
        }
    }
}
