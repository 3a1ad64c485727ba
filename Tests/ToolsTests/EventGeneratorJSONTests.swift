import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTools
import Testing

@Suite("datagen generator: records the engine's decoders accept (or refuse)")
struct EventGeneratorJSONTests {
    static let records = GeneratorFixtures.records(20_000, GeneratorFixtures.options(malformedShare: 0.05))

    @Test("every well-formed click and checkout decodes to exactly the generated event")
    func wellFormedRecordsDecodeToTheGeneratedEvent() throws {
        for (event, payload) in Self.records {
            switch event.content {
            case .click(let click):
                #expect(try ClickDecoder().decode(payload) == click.click)
            case .checkout(let checkout, _):
                #expect(try CheckoutDecoder().decode(payload) == checkout)
            case .malformed:
                continue
            }
        }
    }

    @Test("every malformed record is refused by the decoder of its topic", arguments: MalformedKind.allCases)
    func malformedRecordsAreRefused(kind: MalformedKind) {
        let broken = Self.records.filter { if case .malformed(kind, _) = $0.event.content { true } else { false } }
        #expect(broken.count > 20, "too few \(kind) records to judge")
        for (event, payload) in broken {
            let decoded: Bool
            switch event.topic {
            case .clicks: decoded = (try? ClickDecoder().decode(payload)) != nil
            case .checkouts: decoded = (try? CheckoutDecoder().decode(payload)) != nil
            }
            #expect(!decoded, "\(kind) record was accepted: \(String(decoding: payload.prefix(200), as: UTF8.self))")
        }
    }

    @Test("the malformed share stays within tolerance and covers both topics")
    func malformedShareWithinTolerance() {
        let malformed = Self.records.filter(\.event.isMalformed)
        let share = Double(malformed.count) / Double(Self.records.count)
        #expect(abs(share - 0.05) < 0.006, "malformed share \(share)")
        #expect(Set(malformed.map(\.event.topic)) == [.clicks, .checkouts])
        #expect(malformed.filter { if case .malformed(.oversized, _) = $0.event.content { true } else { false } }
            .allSatisfy { $0.payload.count > SluiceTools.maxRecordBytes })
    }

    @Test("no event time lags the newest earlier one by more than the disorder bound, and disorder does occur")
    func disorderIsBounded() {
        let bound = GeneratorFixtures.options().disorderMillis
        let times = Self.records.compactMap(\.event.eventTime)
        var newest = times.first ?? 0
        var lagging = 0
        for time in times {
            #expect(time >= newest - bound, "event at \(time) lags \(newest) by more than \(bound) ms")
            if time < newest { lagging += 1 }
            newest = max(newest, time)
        }
        #expect(lagging > Self.records.count / 10)
    }

    @Test("a checkout of a product clicked in the session comes after a click of it within the hour")
    func sessionCheckoutsFollowTheirClick() {
        var clicks: [String: [Int64]] = [:]
        var checked = 0
        for (event, _) in Self.records {
            switch event.content {
            case .click(let click):
                clicks["\(click.userID)/\(click.productID)", default: []].append(click.eventTime)
            case .checkout(let checkout, let kind) where kind.reason == .clickedInSession:
                let times = clicks["\(checkout.userID)/\(checkout.productID)"] ?? []
                #expect(times.contains { $0 < checkout.eventTime && $0 >= checkout.eventTime - SluiceTools.attributionWindowMillis },
                        "checkout \(checkout.checkoutID) has no earlier click in the window")
                checked += 1
            default:
                continue
            }
        }
        #expect(checked > 500)
    }

    @Test("the message key is the user id, and unknown users are outside the loaded id range")
    func keysAndUnknownUsers() {
        let users = Int64(GeneratorFixtures.options().users)
        var unknown = 0
        for (event, _) in Self.records {
            switch event.content {
            case .click(let click): #expect(event.key == click.userID)
            case .checkout(let checkout, let kind):
                #expect(event.key == checkout.userID)
                #expect(kind.unknownUser == (checkout.userID > users))
                if kind.unknownUser { unknown += 1 }
            case .malformed: continue
            }
        }
        #expect(unknown > 0)
    }

    @Test("checkout reasons follow the configured shares roughly")
    func checkoutSharesAreRoughlyAsConfigured() {
        let options = GeneratorFixtures.options()
        let kinds = Self.records.compactMap { record -> CheckoutKind? in
            if case .checkout(_, let kind) = record.event.content { return kind }
            return nil
        }
        let noClick = Double(kinds.filter { $0.reason == .noClick }.count) / Double(kinds.count)
        #expect(abs(noClick - options.noClickShare) < 0.03, "no-click share \(noClick)")
        #expect(kinds.contains { $0.reason == .repeatPurchase })
        #expect(kinds.contains { $0.reason == .revisit })
    }
}
