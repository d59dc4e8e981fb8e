// libFuzzer target: resumption-token decoding. Built and run by scripts/fuzz.sh (`make fuzz`).
//
// The first byte chooses the mode:
//  - even: the rest is the token text as a client would send it (almost always refused by the
//    checksum);
//  - odd: the rest is a token body to which the harness adds a correct checksum (the checksum
//    is not a secret: anyone can forge one), so decoding gets past it to the fields.
// Checked beyond "no crash": a token that decodes encodes back to exactly the same text, and
// the provider (over a store with the sample records) answers a ListRecords/ListIdentifiers
// request carrying it with a well-formed OAI-PMH document.
import CFuzzDriver
import FuzzOAIFixture
import Foundation
import OAIPMH
import RegistryStore
import VOResource

/// The token checksum (FNV-1a, 32 bits, seeded with the tag), as ResumptionToken computes it.
func checksum(_ b: [UInt8]) -> UInt32 {
    var h: UInt32 = 0x811C_9DC5
    for c in "voreg-oai-token".utf8 + b { h = (h ^ UInt32(c)) &* 0x0100_0193 }
    return h
}

func base64URL(_ b: [UInt8]) -> String {
    Data(b).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

@_cdecl("FuzzResumptionToken_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    voreg_fuzz_main(argc, argv, fuzzResumptionToken)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResumptionToken(_ input: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let data = input ?? UnsafePointer(emptyInput)
    guard size > 0 else { return 0 }
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let forged = data[0] & 1 == 1
    let text: String
    if forged {
        var b = rest
        withUnsafeBytes(of: checksum(rest).bigEndian) { b += $0 }
        text = base64URL(b)
    } else {
        text = String(decoding: rest, as: UTF8.self)
    }
    // Times near both ends of Int64 as well as ordinary ones.
    for (now, lifetime) in [(Int64(1_767_225_600), Int64(86_400)), (.max, .max), (.min, 1)] {
        guard let token = try? ResumptionToken.decode(text, now: now, lifetime: lifetime) else { continue }
        if forged, token.encoded() != text {
            fatalError("token \(text) decodes to \(token), which encodes as \(token.encoded())")
        }
        if now == 1_767_225_600 {
            respondAndCheck([("verb", token.verb.rawValue), ("resumptionToken", text)], now: now)
        }
    }
    return 0
}

nonisolated(unsafe) private let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
