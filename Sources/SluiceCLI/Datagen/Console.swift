import Foundation

/// Result and status lines of `datagen` and `verify` on standard output, written unbuffered, so
/// a generator running in the background shows up in its log file as it goes, not at exit.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
