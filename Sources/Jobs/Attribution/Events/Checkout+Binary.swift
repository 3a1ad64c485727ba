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

    static func decode(from reader: inout BinaryReader) throws(BinaryReader.Failure) -> Checkout {
        Checkout(checkoutID: try reader.readString(), userID: try reader.readSigned(), productID: try reader.readString(),
                 paymentMethod: try reader.readString(), totalAmount: try reader.readString(),
                 shippingAddress: try reader.readString(), billingAddress: try reader.readString(),
                 userAgent: try reader.readString(), ipAddress: try reader.readString(), eventTime: try reader.readSigned())
    }
}
