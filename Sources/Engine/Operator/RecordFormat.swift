/// Decodes the records of one format into rows. Made per source subtask and used only on its
/// task thread, so an implementation may keep buffers between calls.
public protocol RecordDecoder: AnyObject {
    /// Decodes one record; the error's description is the dead-letter reason.
    func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> RowRecord
}

/// A registered record format: its declaration (what submission checked) and the decoder the
/// JSON sources make for it when they open. Built once at start; shared by every source.
public struct RecordFormat: Sendable {
    public let declaration: RecordFormatDeclaration
    /// A fresh decoder refusing records over `maxRecordBytes`.
    public let makeDecoder: @Sendable (_ maxRecordBytes: Int) -> any RecordDecoder

    public init(_ declaration: RecordFormatDeclaration, makeDecoder: @escaping @Sendable (_ maxRecordBytes: Int) -> any RecordDecoder) {
        self.declaration = declaration
        self.makeDecoder = makeDecoder
    }
}
