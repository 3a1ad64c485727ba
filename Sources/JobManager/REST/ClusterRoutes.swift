import Foundation
import Hummingbird
import SluiceCore

/// Routes about the cluster as a whole: `/config`, `/overview`, `/taskmanagers[/:id]`.
struct ClusterRoutes<Context: RequestContext> {
    let membership: Membership
    let jobCounts: @Sendable () -> JobCounts
    let refreshInterval: Duration
    let tokenRequired: Bool

    func register(on router: Router<Context>) {
        router.get("/config") { _, _ in self.configuration() }
        router.get("/overview") { _, _ in
            OverviewResponse(ClusterOverview(membership: self.membership.snapshot(), jobs: self.jobCounts()),
                             version: SluiceVersion.engine, commit: "sluice")
        }
        router.get("/taskmanagers") { _, _ in
            let now = ContinuousClock.now
            return TaskManagersResponse(taskmanagers: self.membership.snapshot().members.map { TaskManagerResponse($0, now: now) })
        }
        router.get("/taskmanagers/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let member = self.membership.snapshot().members.first(where: { $0.info.id == id }) else {
                throw RESTError(.notFound, "TaskManager \(id) is not registered; GET /taskmanagers lists the registered ones")
            }
            return TaskManagerResponse(member, now: .now)
        }
    }

    private func configuration() -> DashboardConfiguration {
        let zone = TimeZone.current
        return DashboardConfiguration(
            refreshInterval: refreshInterval.milliseconds,
            timezoneName: zone.localizedName(for: .standard, locale: Locale(identifier: "en_US")) ?? zone.identifier,
            timezoneOffset: zone.secondsFromGMT() * 1000,
            flinkVersion: SluiceVersion.engine,
            flinkRevision: "sluice \(SluiceVersion.engine)",
            features: .init(webSubmit: true, webCancel: true, webRescale: false, webHistory: false),
            restTokenRequired: tokenRequired)
    }
}
