import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
import SluiceLibrary
import SluiceTestSupport
import Testing

/// The README's operator reference is the declarations, rendered: it cannot drift from what the
/// parser accepts.
@Suite struct KindReferenceTests {
    static let begin = "<!-- sluice kinds --markdown: begin -->"
    static let end = "<!-- sluice kinds --markdown: end -->"

    @Test func theReadmeHoldsTheRenderedReference() throws {
        let readme = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: Self.begin), "README.md has the \(Self.begin) marker")
        let stop = try #require(readme.range(of: Self.end), "README.md has the \(Self.end) marker")
        let section = readme[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(section == KindReference.markdown(BuiltInKinds.catalog).trimmingCharacters(in: .whitespacesAndNewlines),
                "README.md's operator reference is stale: run `make readme-kinds`")
    }

    @Test func everyParameterAndCounterIsInTheReference() {
        let text = KindReference.text(BuiltInKinds.catalog)
        for kind in BuiltInKinds.catalog.declarations {
            #expect(text.contains("\(kind.name) (\(kind.role.rawValue))"))
            for parameter in kind.parameters { #expect(text.contains("params.\(parameter.name) "), "\(kind.name).\(parameter.name)") }
            for metric in kind.metrics { #expect(text.contains("counter \(metric.event):")) }
        }
    }
}
