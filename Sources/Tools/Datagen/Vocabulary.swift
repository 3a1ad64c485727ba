/// The word lists the datagen draws names, addresses and browsers from. A few entries carry
/// quotes, backslashes and non-ASCII letters on purpose, so every consumer's escaping is exercised.
enum Vocabulary {
    static let firstNames = [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
        "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoë", "józef", "amélie", "søren", "aiko",
    ]
    static let lastNames = [
        "smith", "jones", "garcia", "müller", "rossi", "nakamura", "o'brien", "dubois", "kowalski", "silva",
        "andersen", "novák", "ivanova", "chen", "patel", "okafor",
    ]
    static let adjectives = [
        "Ergonomic", "Rustic", "Sleek", "Handmade", "Vintage", "Smart", "Compact", "Deluxe", "Organic", "Café Crème",
        "12\" Cast-Iron", "Path\\Finder", "Ultra-Light", "Noise-Cancelling", "Waterproof", "Ceramic",
    ]
    static let nouns = [
        "Chair", "Desk Lamp", "Backpack", "Coffee Mug", "Headphones", "Keyboard", "Skillet", "Water Bottle", "Tent",
        "Notebook", "Sneakers", "Blender", "Monitor Stand", "Yoga Mat", "Teapot", "Umbrella",
    ]
    static let streets = [
        "Main St", "Oak Avenue", "Königstraße", "Rue de Rivoli", "Via Roma", "Elm Street", "Baker Street",
        "Calle Mayor", "Sunset Blvd", "Harbour Road",
    ]
    static let cities = [
        "Springfield, IL 62704", "10115 Berlin", "75001 Paris", "00184 Roma", "London NW1 6XE", "28013 Madrid",
        "Los Angeles, CA 90028", "Sydney NSW 2000", "Zürich 8001", "Kraków 31-008",
    ]
    static let paymentMethods = ["credit_card", "paypal", "apple_pay", "google_pay", "gift_card", "bank_transfer"]
    static let referrers = ["search", "home", "recommendation", "email", "ad", "category"]
    static let userAgents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "curl/8.5.0",
    ]
}
