import Crypto

/// Hashes bearer tokens for storage (SHA-256, hex). Tokens are 256 random bits, so a fast hash
/// is the right one (a slow one would only slow every authenticated request).
enum TokenHash {
    static func hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
