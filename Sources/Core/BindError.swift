/// A listener could not bind its address; says which setting moves it.
public struct BindError: Error, CustomStringConvertible {
    public var service: String
    public var address: String
    public var setting: String
    public var underlying: any Error

    public init(service: String, address: String, setting: String, underlying: any Error) {
        self.service = service
        self.address = address
        self.setting = setting
        self.underlying = underlying
    }

    public var description: String {
        "cannot listen for \(service) on \(address): \(underlying). Is another Sluice process already running there? Stop it or choose another port (\(setting))."
    }
}
