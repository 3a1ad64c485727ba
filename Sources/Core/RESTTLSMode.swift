/// Whether the REST API and web UI serve HTTPS (`rest.tls`), and whether clients must then
/// present a certificate of the cluster CA. The server's certificate, key and CA are the
/// JobManager's `tls.*` files, so any mode but `off` needs them. A value; safe anywhere.
public enum RESTTLSMode: String, Sendable, CaseIterable {
    /// Plain HTTP (the default: a browser on the same host opens the web UI without warnings).
    case off
    /// HTTPS with the JobManager's certificate; the REST token stays the authentication.
    case server
    /// HTTPS, and every client presents a certificate of the cluster CA (the CLI: `--cert`,
    /// `--key`), in addition to the token for mutating requests.
    case mutual

    /// The mode of `rest.tls`; `off` when unset. Throws naming the values, or the missing
    /// `tls.*` files.
    init(_ source: ConfigSource, tls: TLSFiles?) throws {
        let entry = source.values[.restTLS] ?? (ConfigKey.restTLS.defaultValue ?? "off", "defaults")
        var text = entry.value.trimmingCharacters(in: .whitespaces).lowercased()
        // YAML 1.1 reads an unquoted `off` as the boolean false.
        if text == "false" { text = "off" }
        guard let mode = RESTTLSMode(rawValue: text) else {
            throw ConfigError.invalidValue(key: ConfigKey.restTLS.rawValue, value: entry.value,
                                           expected: "one of " + Self.allCases.map(\.rawValue).joined(separator: ", "),
                                           source: entry.source)
        }
        if mode != .off, tls == nil {
            throw ConfigError.invalidValue(
                key: ConfigKey.restTLS.rawValue, value: entry.value,
                expected: "off unless tls.ca-file, tls.cert-file and tls.key-file are set (HTTPS serves the JobManager's certificate; "
                    + "sluice certs init DIR writes them)",
                source: entry.source)
        }
        self = mode
    }
}
