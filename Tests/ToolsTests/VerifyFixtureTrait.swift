import SluiceTools
import Testing

/// Runs a suite against one `VerifyFixture`, stopped when the suite ends (also on failure).
struct VerifyFixtureTrait: SuiteTrait, TestScoping {
    let options: DatagenOptions

    @TaskLocal static var current: VerifyFixture?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let fixture = try VerifyFixture(options: options)
        defer { fixture.stop() }
        try await Self.$current.withValue(fixture) { try await function() }
    }

    static func fixture() throws -> VerifyFixture {
        try #require(current, "the suite needs the .verifyFixture(...) trait")
    }
}

extension Trait where Self == VerifyFixtureTrait {
    /// Services plus one datagen run with `options`, for the whole suite.
    static func verifyFixture(_ options: DatagenOptions) -> Self {
        VerifyFixtureTrait(options: options)
    }
}
