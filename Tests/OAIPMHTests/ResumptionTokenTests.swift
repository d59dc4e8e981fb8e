import Foundation
import TestSupport
import Testing

@testable import OAIPMH

/// Tokens survive the round trip; anything altered, truncated or expired is refused.
@Suite struct ResumptionTokenTests {
    let token = ResumptionToken(
        verb: .listRecords, metadataPrefix: "ivo_vor", set: "ivo_managed", from: 100, until: 2_000_000_000,
        lastDatestamp: 1_700_000_000, lastIvoid: "ivo://test.org/cat", cursor: 500, completeListSize: 1234,
        issued: 1_700_000_100)

    @Test func roundTrip() throws {
        let s = token.encoded()
        #expect(s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try ResumptionToken.decode(s, now: 1_700_000_200, lifetime: 3600) == token)
        var bare = token
        (bare.set, bare.from, bare.until, bare.verb) = (nil, nil, nil, .listIdentifiers)
        #expect(try ResumptionToken.decode(bare.encoded(), now: 0, lifetime: 3600) == bare)
        #expect(token.expirationDate(lifetime: 3600) == 1_700_003_700)
    }

    @Test func tamperedTokensAreRefused() {
        let s = token.encoded()
        var bad = ["", "x", "!!!!", s + "A", String(s.dropLast()), String(s.dropFirst()), s + "=", "a b"]
        var chars = Array(s)
        for i in [0, 5, chars.count / 2, chars.count - 1] {
            let c = chars[i]
            chars[i] = c == "A" ? "B" : "A"
            bad.append(String(chars))
            chars[i] = c
        }
        // A well-formed body with the wrong checksum.
        var raw = [UInt8](Data(base64Encoded: base64(s))!)
        raw[3] ^= 1
        bad.append(
            Data(raw).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
        for b in bad {
            #expect(throws: OAIError.self, "\(b)") { try ResumptionToken.decode(b, now: 1_700_000_200, lifetime: 3600) }
        }
    }

    @Test func expiredTokensAreRefused() {
        #expect(throws: OAIError.badResumptionToken("the resumption token has expired")) {
            try ResumptionToken.decode(token.encoded(), now: 1_700_003_701, lifetime: 3600)
        }
    }

    /// A token body with its checksum, as the fuzz target forges them (the checksum is no secret).
    static func forge(_ body: [UInt8]) -> String {
        var b = body
        withUnsafeBytes(of: ResumptionToken.checksum(body).bigEndian) { b += $0 }
        return Data(b).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Found by `make fuzz` (FuzzResumptionToken): the expiry `issued + lifetime` overflowed
    /// (a trap) for a forged `issued` near Int64.max, or a lifetime that large. It saturates now.
    @Test func expiryOfForgedTokensDoesNotOverflow() throws {
        let found = Array(Data(base64Encoded: "AQEBBAAGb2FpX2RjAAAAAGlVuQAAAAAAZ3SFgAALaXZvOi8vZXgvw6kAAAAAAAALuAAAAAAAAHUwAAAAAGlVuQA=")!)
        let text = Self.forge(Array(found.dropFirst()))  // the first byte picks the harness's mode
        #expect(try ResumptionToken.decode(text, now: .max, lifetime: .max).metadataPrefix == "oai_dc")
        var farFuture = token
        farFuture.issued = .max - 10
        #expect(farFuture.expirationDate(lifetime: 3600) == .max)
        #expect(try ResumptionToken.decode(farFuture.encoded(), now: 1_700_000_200, lifetime: 3600) == farFuture)
        var farPast = token
        farPast.issued = .min + 10
        #expect(farPast.expirationDate(lifetime: -3600) == .min)
        #expect(throws: OAIError.self) { try ResumptionToken.decode(farPast.encoded(), now: 0, lifetime: 3600) }
    }

    /// Found by FuzzResumptionToken (`cursor-overflow-found`, after 442,486 runs; the target
    /// answers each token with the provider) and by a token crafted while writing it
    /// (`cursor-overflow`): a cursor near Int64.max made `cursor + sent` overflow in
    /// OAIProvider.list, a crash of the server from one request. Cursor and list size are
    /// bounded by `maxCount` now.
    @Test func forgedHugeCursorsAreRefused() throws {
        let dir = Fixtures.root + "/Fuzz/regressions/resumption-token/"
        let found = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "cursor-overflow")))
        for file in ["cursor-overflow", "cursor-overflow-found"] {
            let input = Array(try Data(contentsOf: URL(fileURLWithPath: dir + file)))
            let text = Self.forge(Array(input.dropFirst()))
            #expect(throws: OAIError.self, "\(file)") { try ResumptionToken.decode(text, now: 1_767_225_600, lifetime: 86_400) }
        }
        for (cursor, size) in [(Int.max, 10), (10, Int.max), (Int(Int32.max) + 1, 10)] {
            var t = token
            (t.cursor, t.completeListSize) = (cursor, size)
            #expect(throws: OAIError.self, "\(cursor) \(size)") { try ResumptionToken.decode(t.encoded(), now: 1_700_000_200, lifetime: 3600) }
        }
        var t = token
        (t.cursor, t.completeListSize) = (Int(Int32.max), Int(Int32.max))
        #expect(try ResumptionToken.decode(t.encoded(), now: 1_700_000_200, lifetime: 3600) == t)
        // Over HTTP the forged token is an ordinary OAI-PMH error, not a crash.
        let h = try OAIHarness()
        try h.ingestSample("tap.xml", at: OAIHarness.now - 100)
        let forged = Self.forge(Array(found.dropFirst()))
        #expect(try h.respond([("verb", "ListRecords"), ("resumptionToken", forged)], now: 1_767_225_600).error == "badResumptionToken")
    }

    func base64(_ s: String) -> String {
        let t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return t + String(repeating: "=", count: (4 - t.count % 4) % 4)
    }
}
