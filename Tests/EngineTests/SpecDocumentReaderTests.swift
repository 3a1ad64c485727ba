import Foundation
import SluiceCatalog
import SluiceEngine
import SluiceTestSupport
import Testing

/// Hostile YAML is refused by its shape, cheaply, before anything is expanded (issue: a 1 KB
/// alias bomb grew the JobManager to 18 GB).
@Suite struct SpecDocumentReaderTests {
    /// "Billion laughs": ten levels of ten aliases each, 10^9 leaves once expanded, ~1 KB of text.
    static let aliasBomb: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n")
    }()

    @Test func anAliasBombIsRefusedByItsAliasCountWithoutBeingExpanded() {
        let started = ContinuousClock.now
        #expect(throws: JobSpecError.self) { try SpecDocumentReader.read(Self.aliasBomb) }
        do {
            _ = try SpecDocumentReader.read(Self.aliasBomb)
        } catch {
            #expect(error.field == "(document)" && error.message.contains("aliases"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func fewAliasesThatExpandPastTheNodeLimitAreRefusedToo() {
        // Five aliases per level stay under the alias limit (45) but expand to 5^9 ≈ 2 million nodes.
        var lines = ["a0: &a0 [x, x, x, x, x]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 5).joined(separator: ", "))]")
        }
        let started = ContinuousClock.now
        do {
            _ = try SpecDocumentReader.read(lines.joined(separator: "\n"))
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("values once its aliases are expanded"), "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func deepNestingIsRefusedBeforeTheRecursiveComposerSeesIt() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try SpecDocumentReader.read("name: x\nsources: " + deep)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("nested more than 32 levels"), "\(error)")
        }
        let blockDeep = (0..<40).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " v"
        do {
            _ = try SpecDocumentReader.read(blockDeep)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("nested more than 32 levels"), "\(error)")
        }
    }

    @Test func anOversizedDocumentIsRefusedWithTheLimit() {
        let big = "name: x\nnote: \"" + String(repeating: "y", count: 300 * 1024) + "\"\n"
        do {
            _ = try SpecDocumentReader.read(big)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("over the limit of 262144 bytes"), "\(error)")
        }
    }

    @Test func realSpecsAndQuotedLookAlikesPass() throws {
        for name in ["checkout-attribution", "product-revenue", "trending-products"] {
            let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/\(name).yaml"), encoding: .utf8)
            _ = try JobSpecParser.parse(yaml: text, catalog: BuiltInKinds.catalog)
        }
        // Brackets, stars and hashes inside quotes or comments are not structure.
        let value = try SpecDocumentReader.read("""
            a: "[[[[ *x *y {{{{"
            b: '*z [[['  # [[[[ *w
            c: count(*)
            d: [1, 2, {e: 3}]
            """) as? [String: Any]
        #expect(value?["a"] as? String == "[[[[ *x *y {{{{")
        #expect(value?["c"] as? String == "count(*)")
        #expect((value?["d"] as? [Any])?.count == 3)
    }

    @Test func aFewAliasesInARealSpecStillWork() throws {
        let aliased = try SpecDocumentReader.read("base: &b {p: 1}\none: *b\ntwo: *b\n") as? [String: Any]
        #expect((aliased?["two"] as? [String: Any])?["p"] as? Int == 1)
    }
}
