/// The shop's products (`commerce.products`): ids `P00001`…, a name and a price, all
/// determined by the seed.
public struct ProductCatalog: Sendable {
    /// One product.
    public struct Product: Sendable, Hashable {
        public var id: String
        public var name: String
        public var priceCents: Int64
    }

    public let products: [Product]

    /// `count` products drawn from a generator seeded with `seed` (independent of the event stream).
    public init(count: Int, seed: UInt64) {
        var random = SeededGenerator(seed: seed ^ 0x5052_4F44_5543_5453)  // "PRODUCTS"
        products = (1...max(1, count)).map { index in
            let name = "\(random.pick(Vocabulary.adjectives)) \(random.pick(Vocabulary.nouns))"
            let price = Int64(random.inRange(199...49_999))
            return Product(id: Self.identifier(index), name: name, priceCents: price)
        }
    }

    /// `P00042` for product 42.
    public static func identifier(_ index: Int) -> String {
        let digits = String(index)
        return "P" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// `12.34` for 1234 cents (the text PostgreSQL reads into NUMERIC).
    public static func decimalText(cents: Int64) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
