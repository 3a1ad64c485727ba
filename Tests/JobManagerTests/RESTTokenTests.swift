import Foundation
import HTTPTypes
import Hummingbird
import Logging
@testable import SluiceJobManager
import Testing

@Suite struct RESTTokenTests {
    /// A router guarded by `token` with one read and one mutating route.
    private func router(token: String?) -> InProcessRouter {
        InProcessRouter { router in
            router.add(middleware: RESTTokenMiddleware(token: token))
            router.get("/jobs") { _, _ in "listed" }
            router.post("/jobs") { _, _ in Response(status: .accepted) }
            router.patch("/jobs/:id") { _, _ in Response(status: .accepted) }
        }
    }

    @Test func mutationWithoutTokenIsRefusedWithHowToFix() async throws {
        let reply = try await router(token: "s3cret").send(.post, "/jobs")
        #expect(reply.status == .unauthorized)
        let message = try #require((try reply.json()["errors"] as? [String])?.first)
        #expect(message.contains("rest.token-file") && message.contains("--token") && message.contains("Authorization: Bearer"))
    }

    @Test func mutationWithAWrongTokenIsRefusedAsWrongNotMissing() async throws {
        let reply = try await router(token: "s3cret").send(.patch, "/jobs/abc?mode=cancel", headers: [.authorization: "Bearer s3cre"])
        #expect(reply.status == .unauthorized)
        let message = try #require((try reply.json()["errors"] as? [String])?.first)
        #expect(message.contains("does not match") && !message.contains("requires a REST token"), "\(message)")
    }

    @Test func mutationWithTheTokenPasses() async throws {
        let guarded = router(token: "s3cret")
        #expect(try await guarded.send(.post, "/jobs", headers: [.authorization: "Bearer s3cret"]).status == .accepted)
        #expect(try await guarded.send(.patch, "/jobs/abc", headers: [.authorization: "Bearer s3cret"]).status == .accepted)
    }

    @Test func readsNeedNoToken() async throws {
        let reply = try await router(token: "s3cret").send(.get, "/jobs")
        #expect(reply.status == .ok)
        #expect(reply.text == "listed")
    }

    @Test func withoutAConfiguredTokenMutationsStayOpen() async throws {
        #expect(try await router(token: nil).send(.post, "/jobs").status == .accepted)
    }

    @Test func configReportsWhetherATokenIsRequired() async throws {
        let membership = Membership(heartbeatTimeout: .seconds(5), metrics: JobManagerMetrics(), logger: Logger(label: "test"))
        for required in [true, false] {
            let routes = InProcessRouter { router in
                ClusterRoutes(membership: membership, jobCounts: { JobCounts() }, refreshInterval: .milliseconds(1500),
                              tokenRequired: required).register(on: router)
            }
            let config = try await routes.send(.get, "/config").json()
            #expect(config["rest-token-required"] as? Bool == required)
            #expect(config["refresh-interval"] as? Int == 1500)
            let features = try #require(config["features"] as? [String: Any])
            #expect(features["web-submit"] as? Bool == true)
            #expect(features["web-cancel"] as? Bool == true)
        }
    }
}
