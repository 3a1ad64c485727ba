import Foundation
import SluiceTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension IntegrationSuite {
    /// What the CLI says, and its exit status, when a request cannot be carried out: each says
    /// what happened and what to do, and exits non-zero.
    @Suite struct CLIMessageTests {
        private var sluice: String { get throws { try RepositoryLayout.executable("sluice").path } }

        @Test func aJobManagerThatDoesNotAnswerTimesOutWithThatMessage() throws {
            // A socket that listens but never accepts: the connection completes, no answer ever comes.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #expect(fd >= 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 8) == 0
                    && getsockname(fd, $0, &length) == 0 }
            }
            #expect(bound)
            let port = Int(UInt16(bigEndian: address.sin_port))
            let (status, output) = try ShellCommand.execute(try sluice, ["list", "--rest", "127.0.0.1:\(port)", "--timeout", "1"])
            #expect(status != 0, "\(output)")
            #expect(output.contains("did not answer within 1 s") && !output.contains("Is it running"), "\(output)")
        }

        @Test func aJobManagerThatIsNotThereIsReportedUnreachable() throws {
            let port = try FreePort.next()
            let (status, output) = try ShellCommand.execute(try sluice, ["list", "--rest", "127.0.0.1:\(port)"])
            #expect(status != 0, "\(output)")
            #expect(output.contains("cannot reach the JobManager at http://127.0.0.1:\(port)/jobs"), "a bare host:port means http: \(output)")
        }

        @Test func aMissingAndAWrongTokenGetDifferentMessages() async throws {
            let files = try TemporaryDirectory(prefix: "sluice-token")
            defer { files.remove() }
            let tokenFile = files.url.appendingPathComponent("rest-token")
            try "the-right-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
            try await withLocalCluster("cli-token", settings: ["SLUICE_REST_TOKEN_FILE": tokenFile.path]) { cluster in
                try await cluster.startJobManager()
                let rest = ["--rest", "127.0.0.1:\(cluster.restPort)"]
                // Run where no .cluster/rest-token is, so the CLI has no token to send.
                let (missing, missingText) = try ShellCommand.execute(try sluice, ["cancel", "some-job"] + rest, directory: files.url)
                #expect(missing != 0 && missingText.contains("HTTP 401") && missingText.contains("requires a REST token"), "\(missingText)")
                let (wrong, wrongText) = try ShellCommand.execute(try sluice, ["cancel", "some-job", "--token", "not-it"] + rest,
                                                                  directory: files.url)
                #expect(wrong != 0 && wrongText.contains("HTTP 401") && wrongText.contains("does not match"), "\(wrongText)")
                let (right, rightText) = try ShellCommand.execute(try sluice, ["cancel", "some-job", "--token", "the-right-token"] + rest,
                                                                  directory: files.url)
                #expect(right != 0 && rightText.contains("HTTP 404"), "authorised, but no such job: \(rightText)")
            }
        }
    }
}
