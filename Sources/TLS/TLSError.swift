/// Why a process's TLS files cannot be used; each case names the file, its key and the fix.
public enum TLSError: Error, CustomStringConvertible, Equatable {
    case unreadable(key: String, path: String, reason: String)
    case expired(key: String, path: String, notValidAfter: String)
    case notYetValid(key: String, path: String, notValidBefore: String)
    case keyDoesNotMatch(certificate: String, key: String)
    case unusable(reason: String)

    public var description: String {
        switch self {
        case .unreadable(let key, let path, let reason):
            "\(key) \(path) cannot be used: \(reason) (sluice certs init DIR writes a CA and certificates for a local cluster)"
        case .expired(let key, let path, let notValidAfter):
            "\(key) \(path) expired on \(notValidAfter): issue a new one from the cluster CA (sluice certs init DIR)"
        case .notYetValid(let key, let path, let notValidBefore):
            "\(key) \(path) is not valid before \(notValidBefore): check this host's clock, or issue a new one"
        case .keyDoesNotMatch(let certificate, let key):
            "tls.key-file \(key) is not the private key of tls.cert-file \(certificate): give the key written with that certificate"
        case .unusable(let reason):
            "the TLS files cannot be used: \(reason)"
        }
    }
}
