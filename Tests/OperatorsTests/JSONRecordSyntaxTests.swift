import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

/// What the hand-written JSON scanner accepts and refuses, seen through `ClickDecoder`.
@Suite struct JSONRecordSyntaxTests {
    private func isInvalidJSON(_ json: String) -> Bool {
        isInvalidJSON(Array(json.utf8))
    }

    private func isInvalidJSON(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try ClickDecoder().decode(bytes)
            return false
        } catch {
            if case .invalidJSON = error { return true }
            return false
        }
    }

    @Test func everyTruncationOfAValidRecordIsInvalidJSON() {
        let bytes = Array(RecordFixtures.click().utf8)
        for length in 0..<bytes.count {
            #expect(isInvalidJSON(Array(bytes[..<length])), "cut after \(length) bytes")
        }
    }

    @Test(arguments: [" x", "{}", ",", " {\"a\":1}", "\0"])
    func trailingDataAfterTheObjectIsRefused(suffix: String) {
        #expect(isInvalidJSON(RecordFixtures.click() + suffix))
    }

    @Test func surroundingWhitespaceIsAllowed() {
        #expect(clickFailure(" \n\t" + RecordFixtures.click() + "\r\n ") == nil)
    }

    @Test(arguments: [
        "", "   ", "[]", "\"record\"", "42", "null", "{", "}", "{,}", #"{"a" 1}"#, #"{"a":}"#, #"{"a":1,}"#,
        "{'a':1}", #"{a:1}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#, #"{"a":+1}"#, #"{"a":1e}"#,
        #"{"a":tru}"#, #"{"a":nul}"#, #"{"a":True}"#, #"{"a":"x\q"}"#, #"{"a":"\u12G4"}"#, #"{"a":"\u12"}"#,
        "{\"a\":\"line\nbreak\"}", "{\"a\":\"tab\there\"}", #"{"a":[1,]}"#, #"{"a":[,1]}"#, #"{"a":{"b"}}"#,
        #"{"a":[1 2]}"#, #"{"a":{"b":1,}}"#, #"{"a":{"b":1]}"#, #"{"a":[1}"#, #"{"a":1 "b":2}"#, #"{"a":NaN}"#,
        "\u{FEFF}{}",
    ])
    func malformedJSONIsRefused(json: String) {
        #expect(isInvalidJSON(json), "\(json.debugDescription)")
    }

    @Test func reasonPinpointsTheByteAndTheProblem() {
        #expect(clickFailure(#"{"user_id" 42}"#) == "invalid JSON at byte 11: expected ':' after an object key, found '4'")
        #expect(clickFailure(#"{"user_id": 42} x"#) == "invalid JSON at byte 16: unexpected 'x' after the end of the JSON object (trailing data)")
        #expect(clickFailure(#"{"url": "abc"#) == "invalid JSON at byte 8: unterminated string")
        #expect(clickFailure(#"[1]"#) == "invalid JSON at byte 0: expected '{' (a record must be one JSON object), found '['")
        #expect(clickFailure("") == "invalid JSON at byte 0: empty record, expected a JSON object")
        #expect(clickFailure(#"{"url": "a\x"}"#) == #"invalid JSON at byte 10: invalid escape '\x' in a string"#)
    }

    @Test func escapesAreDecoded() throws {
        let json = RecordFixtures.checkout(setting: "user_agent", to: #""q=\"a\"&b=\\c\/d\n\t\b\f\r\u00e9\u20AC\ud83d\ude00""#)
        #expect(try decodeCheckout(json).userAgent == "q=\"a\"&b=\\c/d\n\t\u{08}\u{0C}\r\u{E9}€😀")
        // A click's url is checked, not kept: the same escapes pass there too.
        #expect(try decodeClick(RecordFixtures.click(setting: "url", to: #""q=\"a\"&b=\\c\/d\n\t\b\f\r\u00e9\u20AC\ud83d\ude00""#)).clickID == "c-1")
    }

    @Test func rawUTF8TextIsKept() throws {
        let json = RecordFixtures.checkout(setting: "shipping_address", to: #""Lampe für Küche 🚀 日本""#)
        #expect(try decodeCheckout(json).shippingAddress == "Lampe für Küche 🚀 日本")
    }

    @Test(arguments: [
        (#""\ud83d""#, #"field url: string has an unpaired UTF-16 surrogate \uD83D"#),
        (#""\ude00x""#, #"field url: string has an unpaired UTF-16 surrogate \uDE00"#),
        (#""\ud83d\u0041""#, #"field url: string has an unpaired UTF-16 surrogate \uD83D"#),
        (#""a\u0000b""#, "field url: string contains U+0000, which PostgreSQL text cannot store"),
    ])
    func unstorableEscapesAreRefused(json: String, reason: String) {
        #expect(clickFailure(RecordFixtures.click(setting: "url", to: json)) == reason)
    }

    @Test func invalidUTF8InAFieldIsRefused() {
        var bytes = Array(RecordFixtures.click(setting: "url", to: #""ab""#).utf8)
        let index = bytes.firstIndex(of: UInt8(ascii: "b")).map { $0 } ?? 0
        bytes[index] = 0xFF
        #expect(throws: RecordDecodingError.invalidValue(field: "url", detail: "string is not valid UTF-8")) {
            _ = try ClickDecoder().decode(bytes)
        }
    }

    @Test func nestingInsideAnUnknownFieldIsLimitedTo64Levels() {
        func record(depth: Int) -> String {
            String(RecordFixtures.click().dropLast()) + ", \"deep\": "
                + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        }
        #expect(clickFailure(record(depth: 64)) == nil)
        #expect(clickFailure(record(depth: 65))?.hasSuffix("nesting deeper than 64 levels") == true)
        let hostile = record(depth: 30_000)  // still under 64 KiB, so the scanner has to deal with it
        #expect(clickFailure(hostile)?.hasSuffix("nesting deeper than 64 levels") == true)
    }

    @Test func randomByteCorruptionNeverCrashesTheDecoder() {
        let original = Array(RecordFixtures.click().utf8)
        var generator = SplitMix64(seed: 0xDEC0DE)
        for _ in 0..<20_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? ClickDecoder().decode(bytes)
        }
    }
}
