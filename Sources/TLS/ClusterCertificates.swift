import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority for one local cluster and the certificates it issues: what
/// `sluice certs init DIR` writes (`ca.pem`, and `NAME.pem` + `NAME-key.pem` for the
/// JobManager, the TaskManagers and the CLI), and what tests use to make wrong-CA and expired
/// certificates. ECDSA P-256 keys; every certificate may serve and connect (server and client
/// authentication) and names `hosts` (IP addresses or DNS names) for HTTPS clients that check
/// them. Key files are written owner-only (0600). A value; safe anywhere.
public struct ClusterCertificates {
    /// The certificates `init(directory:)` writes besides the CA.
    public static let processNames = ["jobmanager", "taskmanager", "client"]

    public let certificate: Certificate
    private let key: P256.Signing.PrivateKey

    /// A new CA named `name`, valid from an hour ago (clock skew) for `days`.
    public init(name: String, days: Int, now: Date = Date()) throws {
        key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let signing = Certificate.PrivateKey(key)
        certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: signing.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: signing)
    }

    /// The CA `initialize` wrote (`ca.pem`, `ca-key.pem`), to issue more certificates from it.
    public init(certificatePEM: String, keyPEM: String) throws {
        certificate = try Certificate(pemEncoded: certificatePEM)
        key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
    }

    /// A certificate of this CA for `name`, valid between the two dates, naming `hosts`.
    /// Returns the certificate's PEM and its private key's PEM.
    public func issue(name: String, hosts: [String], notValidBefore: Date, notValidAfter: Date) throws -> (certificate: String, key: String) {
        let leafKey = P256.Signing.PrivateKey()
        let names: [GeneralName] = hosts.map { host in
            if let address = Self.addressBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: address[...])) }
            return .dnsName(host)
        }
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PrivateKey(leafKey).publicKey,
            notValidBefore: notValidBefore, notValidAfter: notValidAfter,
            issuer: certificate.subject, subject: try DistinguishedName { CommonName(name) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return (try leaf.serializeAsPEM().pemString, leafKey.pemRepresentation)
    }

    /// Writes the CA (`ca.pem`, `ca-key.pem`) and one certificate per `processNames` entry
    /// into `directory` (created if missing), valid from an hour ago for `days`. Refuses to
    /// overwrite an existing `ca.pem`: certificates already handed out would stop matching.
    /// Returns the paths written.
    public static func initialize(directory: String, hosts: [String], days: Int, now: Date = Date()) throws -> [String] {
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let caPath = directory + "/ca.pem"
        guard !files.fileExists(atPath: caPath) else {
            throw CertificatesError.exists(caPath)
        }
        let authority = try ClusterCertificates(name: "Sluice cluster CA", days: days, now: now)
        var written = [caPath, directory + "/ca-key.pem"]
        try write(try authority.certificate.serializeAsPEM().pemString, to: caPath, secret: false)
        try write(authority.key.pemRepresentation, to: written[1], secret: true)
        for name in processNames {
            let (certificate, key) = try authority.issue(name: "sluice \(name)", hosts: hosts, notValidBefore: now.addingTimeInterval(-3600),
                                                         notValidAfter: now.addingTimeInterval(Double(days) * 86_400))
            let path = directory + "/\(name).pem", keyPath = directory + "/\(name)-key.pem"
            try write(certificate, to: path, secret: false)
            try write(key, to: keyPath, secret: true)
            written += [path, keyPath]
        }
        return written
    }

    /// The PEM of the CA certificate.
    public func certificatePEM() throws -> String { try certificate.serializeAsPEM().pemString }

    static func write(_ text: String, to path: String, secret: Bool) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: secret ? 0o600 : 0o644]) else {
            throw CertificatesError.unwritable(path)
        }
    }

    /// The 4 or 16 bytes of an IP address, nil for a DNS name.
    static func addressBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}

/// Why `sluice certs init` wrote nothing.
public enum CertificatesError: Error, CustomStringConvertible {
    case exists(String)
    case unwritable(String)

    public var description: String {
        switch self {
        case .exists(let path): "\(path) exists: certificates issued from it would no longer match; pick an empty directory, or delete it to start over"
        case .unwritable(let path): "cannot write \(path)"
        }
    }
}
