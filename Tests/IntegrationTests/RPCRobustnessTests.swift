import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    @Suite struct RPCRobustnessTests {
        @Test func taskManagerWithAWrongSecretIsRefusedAndBothSidesSayWhy() async throws {
            try await withLocalCluster("wrong-secret") { cluster in
                try await cluster.startJobManager()
                let intruder = try cluster.startTaskManager(environment: ["SLUICE_CLUSTER_SECRET": "not-the-secret"])
                try await intruder.waitForExit(timeout: .seconds(15))
                #expect(intruder.exitStatus != 0)
                #expect(intruder.output().contains("failed authentication"), "TaskManager log: \(intruder.output())")
                try await waitUntil("JobManager to log the refusal") {
                    cluster.jobManager?.output().contains("reason=bad_proof") == true
                }
                #expect(try await cluster.rest.metric("sluice_rpc_rejected_connections_total{reason=\"bad_proof\"}") ?? 0 >= 1)
                #expect(try await cluster.rest.taskManagerCount() == 0)
            }
        }

        @Test func thousandMalformedConnectionsAreEachClosedCountedAndHarmless() async throws {
            try await withLocalCluster("malformed") { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager()
                try await cluster.waitForTaskManagers(1)
                let reasons = ["frame_too_large", "truncated", "undecodable", "protocol_violation", "closed_during_handshake",
                               "bad_proof", "rejected", "version_mismatch", "cluster_mismatch", "unsupported_role", "handshake_timeout"]
                func rejections() async throws -> [String: Double] {
                    var counts: [String: Double] = [:]
                    for reason in reasons {
                        counts[reason] = try await cluster.rest.metric("sluice_rpc_rejected_connections_total{reason=\"\(reason)\"}") ?? 0
                    }
                    return counts
                }
                let before = try await rejections()
                var generator = SplitMix64(seed: 42)
                var closed = 0
                for index in 0..<1_000 {
                    let client = try RawTCPClient(port: cluster.rpcPort)
                    client.send(MalformedFrame.allCases[index % MalformedFrame.allCases.count].bytes(using: &generator))
                    client.finishWriting()
                    if client.serverClosesConnection() { closed += 1 }
                }
                #expect(closed == 1_000)
                #expect(cluster.jobManager?.isRunning == true)
                #expect(try await cluster.rest.taskManagerCount() == 1, "the healthy TaskManager stays registered")
                try await waitUntil("all 1,000 rejections counted") {
                    let after = try await rejections()
                    return reasons.reduce(0) { $0 + after[$1]! - before[$1]! } == 1_000
                }
                let after = try await rejections()
                #expect(after["frame_too_large"]! - before["frame_too_large"]! >= 250)
                #expect(after["truncated"]! - before["truncated"]! >= 250)
                #expect(after["undecodable"]! - before["undecodable"]! >= 250)
            }
        }
    }
}

/// The kinds of bad input the RPC port must survive.
enum MalformedFrame: CaseIterable {
    case randomBytes, oversizedLength, truncatedFrame, garbageProtobuf

    func bytes(using generator: inout SplitMix64) -> [UInt8] {
        switch self {
        case .randomBytes:
            return (0..<Int.random(in: 1...512, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case .oversizedLength:
            return [0xff, 0xff, 0xff, 0xf0] + [UInt8](repeating: 1, count: 16)
        case .truncatedFrame:
            return [0, 0, 0, 100] + [UInt8](repeating: 0x0a, count: 10)
        case .garbageProtobuf:
            // Field 15 with wire type 7 (invalid) and a runaway varint: never a valid Envelope.
            let garbage: [UInt8] = [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
            return [0, 0, 0, UInt8(garbage.count)] + garbage
        }
    }
}

