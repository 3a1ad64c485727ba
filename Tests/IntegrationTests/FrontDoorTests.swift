import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Bad input against a running cluster, as a new user (or an attacker) would send it: alias
    /// bombs, deep nesting and oversized bodies with a valid token, 300 seeded mutations of a
    /// valid spec, path traversal on the UI's asset routes, and garbage on the RPC and data
    /// ports. Every answer is a 4xx within two seconds, the JobManager grows by less than 100 MB,
    /// every process stays up and the running job keeps checkpointing in its first attempt.
    @Suite struct FrontDoorTests {
        @Test func hostileInputGetsFastClientErrorsAndHurtsNothing() async throws {
            let services = try LiveAttributionServices.start(topics: ["clicks:2", "checkouts:2"])
            defer { services.stop() }
            let files = try TemporaryDirectory(prefix: "sluice-front-door")
            defer { files.remove() }
            let token = "token-\(UUID().uuidString)"
            let tokenFile = files.url.appendingPathComponent("rest-token")
            try token.write(to: tokenFile, atomically: true, encoding: .utf8)
            let settings = services.clusterSettings.merging(["SLUICE_REST_TOKEN_FILE": tokenFile.path,
                                                             "SLUICE_TASKMANAGER_WORK_DIR": files.path]) { _, new in new }
            try await withLocalCluster("front-door", settings: settings) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let authorized = ["Authorization": "Bearer \(token)"]
                let spec = try LiveAttributionServices.attributionSpec(replacing: ["interval-ms: 2000": "interval-ms: 1000"])
                let submitted = try await cluster.rest.request("/jobs", method: "POST", body: Data(spec.utf8), headers: authorized)
                let job = try #require(try submitted.object()["jobid"] as? String, "submit: \(submitted.status) \(submitted.text)")
                try await cluster.rest.waitForAllTasksRunning(job)
                let firstCheckpoint = try await cluster.rest.waitForCheckpoint(job, after: nil)
                let jobManagerPID = try #require(cluster.jobManager?.pid)
                let rssBefore = try Self.residentBytes(jobManagerPID)

                /// POSTs `body` to /jobs and returns the status, checking it came within 2 s.
                func post(_ body: String, _ what: String) async throws -> (status: Int, text: String) {
                    let started = ContinuousClock.now
                    let reply = try await cluster.rest.request("/jobs", method: "POST", body: Data(body.utf8), headers: authorized)
                    #expect(ContinuousClock.now - started < .seconds(2), "\(what) took \(ContinuousClock.now - started)")
                    return (reply.status, reply.text)
                }

                let bomb = try await post(Self.aliasBomb, "alias bomb")
                #expect(bomb.status == 400 && bomb.text.contains("aliases"), "\(bomb)")
                let nested = try await post("name: x\nsources: " + String(repeating: "[", count: 50_000), "deep nesting")
                #expect(nested.status == 400 && nested.text.contains("nested more than"), "\(nested)")
                let oversized = try await post(String(repeating: "# padding\n", count: 500_000), "5 MB body")
                #expect(oversized.status == 413 && oversized.text.contains("262144 bytes"), "\(oversized)")

                var generator = SplitMix64(seed: 20_261_207)
                var statuses: [Int: Int] = [:]
                for index in 0..<300 {
                    let mutated = Self.mutate(spec, using: &generator)
                    let reply = try await post(mutated, "mutation \(index)")
                    statuses[reply.status, default: 0] += 1
                    #expect((400..<500).contains(reply.status), "mutation \(index) got \(reply.status) \(reply.text):\n\(mutated)")
                }

                for path in ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/app.js/../../../etc/passwd",
                             "/..%2f..%2f..%2fetc%2fpasswd", "/index.html%00.js", "/static/../../secret"] {
                    let reply = try await cluster.rest.get(path)
                    #expect(reply.status == 404 || reply.status == 400, "\(path): \(reply.status)")
                    #expect(!reply.text.contains("root:"), "\(path) served a file")
                }

                let taskManagers = try await cluster.rest.get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]] ?? []
                let dataPorts = taskManagers.compactMap { $0["dataPort"] as? Int }
                #expect(dataPorts.count == 2)
                for (index, port) in ([cluster.rpcPort] + dataPorts).enumerated() {
                    for round in 0..<100 {
                        let client = try RawTCPClient(port: port)
                        client.send(MalformedFrame.allCases[(index + round) % MalformedFrame.allCases.count].bytes(using: &generator))
                        client.finishWriting()
                        _ = client.serverClosesConnection()
                    }
                }

                #expect(cluster.jobManager?.isRunning == true)
                #expect(cluster.taskManagers.allSatisfy { $0.isRunning })
                let grown = try Self.residentBytes(jobManagerPID) - rssBefore
                #expect(grown < 100 << 20, "JobManager RSS grew by \(grown >> 20) MB")
                let later = try await cluster.rest.waitForCheckpoint(job, after: firstCheckpoint)
                let progress = try await cluster.rest.jobProgress(job)
                #expect(later > firstCheckpoint && progress.state == "RUNNING" && progress.attempt == 1 && progress.numRestarts == 0,
                        "\(progress)")
                #expect(try await cluster.rest.get("/jobs").object()["jobs"].map { ($0 as? [Any])?.count } == 1,
                        "no mutated spec became a job (statuses: \(statuses))")
            }
        }

        /// Ten levels of ten aliases: 10^9 nodes once expanded, 500 bytes of text.
        static let aliasBomb: String = {
            var lines = ["name: bomb", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
            for level in 1...9 {
                lines.append("a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]")
            }
            return lines.joined(separator: "\n")
        }()

        /// One random edit of `spec`, never of its `name:` line (a valid mutation then collides
        /// with the running job's name and gets 409 rather than becoming a second job).
        static func mutate(_ spec: String, using generator: inout SplitMix64) -> String {
            var lines = spec.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let editable = lines.indices.filter { !lines[$0].hasPrefix("name:") }
            let target = editable[Int.random(in: 0..<editable.count, using: &generator)]
            let noise = [":", "[", "]", "{", "}", "&x", "*x", "- ", "\"", "'", "#", "|", ">", "\t", "\u{0}", "é", "99999999999999999999", "-1",
                         "null", "~", "!!binary", "? ", ",", "<<: *x"]
            switch Int.random(in: 0..<6, using: &generator) {
            case 0:
                lines.remove(at: target)
            case 1:
                lines.insert(lines[target], at: target)
            case 2:
                let other = editable[Int.random(in: 0..<editable.count, using: &generator)]
                lines.swapAt(target, other)
            case 3:
                var characters = Array(lines[target])
                let at = characters.isEmpty ? 0 : Int.random(in: 0..<characters.count, using: &generator)
                characters.insert(contentsOf: noise[Int.random(in: 0..<noise.count, using: &generator)], at: at)
                lines[target] = String(characters)
            case 4:
                var characters = Array(lines[target])
                if !characters.isEmpty { characters.remove(at: Int.random(in: 0..<characters.count, using: &generator)) }
                lines[target] = String(characters)
            default:
                let cut = Int.random(in: 0..<max(1, spec.count), using: &generator)
                return String(spec.prefix(cut))
            }
            return lines.joined(separator: "\n")
        }

        static func residentBytes(_ pid: Int32) throws -> Int {
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
    }
}
