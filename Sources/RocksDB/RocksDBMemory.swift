import CRocksDB

/// Frees memory the RocksDB C API allocated for the caller (error texts, values, properties).
func rocksDBFree(_ pointer: UnsafeMutableRawPointer?) {
    rocksdb_free(pointer)
}

extension UnsafeRawBufferPointer {
    /// The start of the bytes as the `const char*` the C API takes.
    var cChars: UnsafePointer<CChar>? {
        baseAddress?.assumingMemoryBound(to: CChar.self)
    }
}
