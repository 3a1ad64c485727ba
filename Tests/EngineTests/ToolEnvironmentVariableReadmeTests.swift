import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// The README lists the `SLUICE_*` variables the scripts and tools read besides the config
/// keys; `ToolEnvironmentVariable` is that list in code (what config loading lets pass). They
/// must not drift apart.
@Suite struct ToolEnvironmentVariableReadmeTests {
    @Test func theReadmeNamesEveryToolVariable() throws {
        let readme = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("README.md"), encoding: .utf8)
        for name in ToolEnvironmentVariable.names.keys.sorted() {
            #expect(readme.contains("`\(name)`"), "README.md's configuration section lacks \(name)")
        }
        for prefix in ToolEnvironmentVariable.prefixes {
            #expect(readme.contains("`\(prefix)*`"), "README.md's configuration section lacks \(prefix)*")
        }
    }
}
