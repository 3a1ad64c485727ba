import SluiceTools
import Testing

@Suite("datagen users and their renames")
struct UserCatalogTests {
    static let span: Int64 = 7_200_000
    static let catalog = UserCatalog(users: 1_000, seed: 42, eventStart: GeneratorFixtures.start, eventSpan: span)

    @Test("every user exists a day before the events; renames fall inside the event range")
    func renamesFallInsideTheEventRange() {
        #expect(Self.catalog.initialVersions.count == 1_000)
        #expect(Self.catalog.initialVersions.allSatisfy { $0.validFrom == GeneratorFixtures.start - 86_400_000 })
        let renames = Self.catalog.updateRounds.flatMap { $0 }
        #expect(renames.allSatisfy { (GeneratorFixtures.start..<GeneratorFixtures.start + Self.span).contains($0.validFrom) })
        let renamedUsers = Set(renames.map(\.userID)).count
        #expect((150...250).contains(renamedUsers), "\(renamedUsers) of 1000 users renamed")
        #expect(!Self.catalog.updateRounds[1].isEmpty, "some users are renamed twice")
    }

    @Test("a second rename is later than the first")
    func secondRenameIsLater() {
        let first = Dictionary(uniqueKeysWithValues: Self.catalog.updateRounds[0].map { ($0.userID, $0.validFrom) })
        for second in Self.catalog.updateRounds[1] {
            #expect(second.validFrom > (first[second.userID] ?? .max))
        }
    }

    @Test("the name as of a time is the version valid then; unknown users have none")
    func nameAsOfTime() throws {
        let rename = try #require(Self.catalog.updateRounds[0].first)
        let original = Self.catalog.initialVersions[Int(rename.userID - 1)]
        #expect(Self.catalog.username(of: rename.userID, at: rename.validFrom - 1) == original.username)
        #expect(Self.catalog.username(of: rename.userID, at: rename.validFrom) == rename.username)
        #expect(Self.catalog.username(of: 1, at: original.validFrom - 1) == nil)
        #expect(Self.catalog.username(of: 1_001, at: GeneratorFixtures.start) == nil)
    }
}
