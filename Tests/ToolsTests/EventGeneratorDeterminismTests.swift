import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTools
import Testing

@Suite("datagen generator: determinism")
struct EventGeneratorDeterminismTests {
    @Test("the same seed gives the same records, byte for byte")
    func sameSeedGivesSameRecords() {
        let first = GeneratorFixtures.records(5_000, GeneratorFixtures.options(seed: 7))
        let second = GeneratorFixtures.records(5_000, GeneratorFixtures.options(seed: 7))
        #expect(first.map(\.payload) == second.map(\.payload))
        #expect(first.map(\.event.key) == second.map(\.event.key))
        #expect(first.map(\.event.topic) == second.map(\.event.topic))
    }

    @Test("another seed gives other records")
    func otherSeedGivesOtherRecords() {
        let first = GeneratorFixtures.records(100, GeneratorFixtures.options(seed: 7))
        let second = GeneratorFixtures.records(100, GeneratorFixtures.options(seed: 8))
        #expect(first.map(\.payload) != second.map(\.payload))
    }

    @Test("users, renames and products depend only on the seed")
    func catalogsAreDeterministic() {
        let users = { UserCatalog(users: 500, seed: 3, eventStart: GeneratorFixtures.start, eventSpan: 7_200_000) }
        #expect(users().allVersions == users().allVersions)
        #expect(ProductCatalog(count: 50, seed: 3).products == ProductCatalog(count: 50, seed: 3).products)
        #expect(users().allVersions != UserCatalog(users: 500, seed: 4, eventStart: GeneratorFixtures.start, eventSpan: 7_200_000).allVersions)
    }
}

extension EventGeneratorDeterminismTests {
    @Test("runs with the same seed but another start time share no event id")
    func anotherStartTimeGivesOtherIDs() {
        var later = GeneratorFixtures.options(seed: 7)
        later.startTime += 60_000
        func ids(_ options: DatagenOptions) -> Set<String> {
            Set(GeneratorFixtures.records(2_000, options).compactMap { record in
                switch record.event.content {
                case .click(let click): click.clickID
                case .checkout(let checkout, _): checkout.checkoutID
                case .malformed: nil
                }
            })
        }
        #expect(ids(GeneratorFixtures.options(seed: 7)).isDisjoint(with: ids(later)))
    }
}
