import SluiceEngine
/// The binary form of a checkout in attribution state (inside `AttributedCheckout+Binary`): its
/// ten fields in declaration order, strings length-prefixed, integers zig-zag varints.
extension Checkout {
    func encode(into writer: inout BinaryWriter) {
        writer.write(checkoutID)
        writer.write(signed: userID)
        writer.write(productID)
        writer.write(paymentMethod)
        writer.write(totalAmount)
        writer.write(shippingAddress)
        writer.write(billingAddress)
        writer.write(userAgent)
        writer.write(ipAddress)
        writer.write(signed: eventTime)
    }

    static func decode(from reader: inout BinaryReader, builder: inout RowBuilder) throws(BinaryReader.Failure) -> Checkout {
        let checkoutID = try reader.readString(), userID = try reader.readSigned(), productID = try reader.readString()
        let paymentMethod = try reader.readString(), totalAmount = try reader.readString()
        let shippingAddress = try reader.readString(), billingAddress = try reader.readString()
        let userAgent = try reader.readString(), ipAddress = try reader.readString(), eventTime = try reader.readSigned()
        do {
            return try Checkout(checkoutID: checkoutID, userID: userID, productID: productID, paymentMethod: paymentMethod,
                                totalAmount: totalAmount, shippingAddress: shippingAddress, billingAddress: billingAddress,
                                userAgent: userAgent, ipAddress: ipAddress, eventTime: eventTime, builder: &builder)
        } catch {
            throw .malformed("checkout \(checkoutID): \(error)")
        }
    }
}
