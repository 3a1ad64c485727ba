import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

/// Event times in tests are written as wall-clock text on one fixed day ("10:00:00",
/// "09:59:59.999"), or as a full timestamp when a test crosses midnight.
func time(_ text: String) -> Int64 {
    let full = text.contains("-") ? text : "2024-05-01 \(text)"
    do {
        return try EventTimeFormat.parse(full)
    } catch {
        Issue.record("bad test time '\(text)': \(error)")
        return 0
    }
}

func click(_ id: String, at clock: String, user: Int64 = 7, product: String = "p1") -> Click {
    Click(clickID: EventID(id), userID: user, productID: product, eventTime: time(clock))
}

func checkout(_ id: String, at clock: String, user: Int64 = 7, product: String = "p1") -> Checkout {
    Checkout(checkoutID: id, userID: user, productID: product, paymentMethod: "card", totalAmount: "19.90",
             eventTime: time(clock))
}

/// What a test asserts about an emitted row: which checkout, which click (if any).
struct Attribution: Equatable, CustomStringConvertible {
    let checkoutID: String
    let clickID: String?
    let clickTime: Int64?

    init(_ row: AttributedCheckout) {
        checkoutID = row.checkout.checkoutID
        clickID = row.clickID?.description
        clickTime = row.clickTime
    }

    init(checkoutID: String, clickID: String?, clickTime: Int64?) {
        self.checkoutID = checkoutID
        self.clickID = clickID
        self.clickTime = clickTime
    }

    var description: String {
        "\(checkoutID) ← \(clickID.map { "\($0)@\(EventTimeFormat.format(clickTime ?? 0))" } ?? "NULL")"
    }
}

func attributed(_ checkoutID: String, to clickID: String, at clock: String) -> Attribution {
    Attribution(checkoutID: checkoutID, clickID: clickID, clickTime: time(clock))
}

func unattributed(_ checkoutID: String) -> Attribution {
    Attribution(checkoutID: checkoutID, clickID: nil, clickTime: nil)
}

/// Drives `FirstClickAttribution` for one key the way the runtime does, and records what came out.
struct AttributionRun {
    let attribution: FirstClickAttribution
    var state = AttributionKeyState()
    var watermark = Int64.min
    private(set) var outputs: [AttributionOutput] = []

    init(_ settings: AttributionSettings = .default) {
        attribution = FirstClickAttribution(settings: settings)
    }

    var rows: [Attribution] { outputs.flatMap(\.rows).map(Attribution.init) }
    var corrections: [Attribution] { outputs.flatMap(\.corrections).map(Attribution.init) }
    var lateClicks: [String] { outputs.flatMap(\.lateClicks).map(\.clickID.description) }
    var lateCheckouts: [String] { outputs.flatMap(\.lateCheckouts).map(\.checkoutID) }
    var last: AttributionOutput? { outputs.last }

    mutating func feed(_ click: Click) {
        outputs.append(attribution.onClick(click, state: &state, watermark: watermark))
    }

    mutating func feed(_ checkout: Checkout) {
        outputs.append(attribution.onCheckout(checkout, state: &state, watermark: watermark))
    }

    mutating func advanceWatermark(to clock: String) {
        advanceWatermark(to: time(clock))
    }

    mutating func advanceWatermark(to value: Int64) {
        watermark = value
        outputs.append(attribution.onWatermark(value, state: &state))
    }

    /// Rows and corrections applied as upserts on checkout id, the way the sink sees them.
    var sinkTable: [String: Attribution] {
        var table: [String: Attribution] = [:]
        for output in outputs {
            for row in output.rows + output.corrections { table[row.checkout.checkoutID] = Attribution(row) }
        }
        return table
    }
}

func settings(window: Duration = .seconds(3600), lateness: Duration = .zero,
              mode: AttributionSettings.EmitMode = .onWatermark) -> AttributionSettings {
    do {
        return try AttributionSettings(window: window, allowedLateness: lateness, emitMode: mode)
    } catch {
        Issue.record("invalid test settings: \(error)")
        return .default
    }
}

/// A random UUID text; one in `uppercaseOneIn` in uppercase (which `EventID` keeps as text, so
/// packed and text ids of the same shape meet), or never when it is 0.
func randomUUID(using generator: inout SplitMix64, uppercaseOneIn: Int = 0) -> String {
    let digits = Array("0123456789abcdef")
    var text = ""
    for offset in 0..<36 {
        text.append([8, 13, 18, 23].contains(offset) ? "-" : digits[Int.random(in: 0..<16, using: &generator)])
    }
    return uppercaseOneIn > 0 && Int.random(in: 0..<uppercaseOneIn, using: &generator) == 0 ? text.uppercased() : text
}
