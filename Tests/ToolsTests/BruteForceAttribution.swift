import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceTools

/// The attribution computed the dumbest possible way, for checking `verify` against something
/// that is neither the engine nor SQL: for each checkout, scan every click.
enum BruteForceAttribution {
    /// One sink row per checkout, as text in the sink's column order (`checkout_id, user_name,
    /// click_id, product_id, payment_method, total_amount, shipping_address, billing_address,
    /// user_agent, ip_address, checkout_time, click_time, user_id`).
    static func sinkRows(clicks: [Click], checkouts: [Checkout], users: UserCatalog,
                         windowMillis: Int64 = SluiceTools.attributionWindowMillis) -> [[String?]] {
        checkouts.map { checkout in
            let first = clicks
                .filter { $0.userID == checkout.userID && $0.productID == checkout.productID
                    && $0.eventTime >= checkout.eventTime - windowMillis && $0.eventTime <= checkout.eventTime }
                .min { ($0.eventTime, $0.clickID) < ($1.eventTime, $1.clickID) }
            return [checkout.checkoutID, users.username(of: checkout.userID, at: checkout.eventTime), first?.clickID.description,
                    checkout.productID, checkout.paymentMethod, checkout.totalAmount, checkout.shippingAddress,
                    checkout.billingAddress, checkout.userAgent, checkout.ipAddress, EventTimeFormat.format(checkout.eventTime),
                    first.map { EventTimeFormat.format($0.eventTime) }, "\(checkout.userID)"]
        }
    }

    static let sinkColumns = ["checkout_id", "user_name", "click_id", "product_id", "payment_method", "total_amount",
                              "shipping_address", "billing_address", "user_agent", "ip_address", "checkout_time", "click_time", "user_id"]
}
