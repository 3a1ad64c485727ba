import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@Suite struct RESTTokenConfigTests {
    @Test func withoutTheKeyThereIsNoToken() throws {
        #expect(try SluiceConfig.load(file: nil, environment: [:]).restToken() == nil)
    }

    @Test func tokenFileFromTheEnvironmentIsReadAndTrimmed() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-token")
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("rest-token")
        try "  abc123\n".write(to: file, atomically: true, encoding: .utf8)
        let config = try SluiceConfig.load(file: nil, environment: ["SLUICE_REST_TOKEN_FILE": file.path])
        #expect(try config.restToken() == "abc123")
    }

    @Test func relativeTokenFileIsReadNextToTheConfigFile() throws {
        let dir = try TemporaryDirectory(prefix: "sluice-token")
        defer { dir.remove() }
        try "from-yaml\n".write(to: dir.url.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try "rest:\n  token-file: token\n".write(to: dir.url.appendingPathComponent("sluice.yaml"), atomically: true, encoding: .utf8)
        let config = try SluiceConfig.load(file: dir.url.appendingPathComponent("sluice.yaml").path, environment: [:])
        #expect(try config.restToken() == "from-yaml")
    }

    @Test func missingTokenFileIsAnErrorThatSaysHowToFixIt() throws {
        let config = try SluiceConfig.load(file: nil, environment: ["SLUICE_REST_TOKEN_FILE": "/nonexistent/rest-token"])
        #expect {
            try config.restToken()
        } throws: { error in
            let text = "\(error)"
            return text.contains("rest.token-file") && text.contains("/nonexistent/rest-token") && text.contains("make run")
        }
    }
}
