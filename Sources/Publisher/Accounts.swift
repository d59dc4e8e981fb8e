import Foundation
public import GRDB
import HummingbirdBcrypt
public import RegistryStore

/// A publishing account: a name and the authorities (`ivo://auth`) it may publish under.
public struct PublisherAccount: Sendable, Equatable, Codable {
    public var name: String
    public var authorities: [String]
    public var created: Int64

    /// Whether `ivoid` lies under one of the account's authorities (IVOA identifiers compare
    /// case-insensitively; the authority is everything up to the first `/`, `?` or `#`).
    public func owns(_ ivoid: String) -> Bool {
        guard let auth = PublisherAccount.authority(of: ivoid) else { return false }
        return authorities.contains { PublisherAccount.authority(of: $0) == auth }
    }

    /// `ivo://Auth/path` → `auth`; nil when it is not an ivo URI.
    public static func authority(of ivoid: String) -> String? {
        let lower = ivoid.trimmingCharacters(in: .whitespaces).lowercased()
        guard lower.hasPrefix("ivo://") else { return nil }
        let rest = lower.dropFirst(6)
        let auth = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return auth.isEmpty ? nil : String(auth)
    }
}

public enum AccountError: Error, CustomStringConvertible, Equatable {
    case exists(String)
    case noSuchAccount(String)
    case invalid(String)
    public var description: String {
        switch self {
        case .exists(let n): "account \(n) exists already"
        case .noSuchAccount(let n): "no account \(n)"
        case .invalid(let m): m
        }
    }
}

/// Accounts and bearer tokens in the store (`publisher_accounts`, `publisher_authorities`,
/// `publisher_tokens`). Passwords are bcrypt hashes; tokens are 256 random bits, handed out
/// once and stored as their SHA-256, with an expiry.
public final class PublisherAccounts: Sendable {
    public let store: RegistryStore
    /// How long a token stays valid.
    public let tokenLifetime: Int64
    /// bcrypt cost factor.
    public let cost: UInt8

    public init(store: RegistryStore, tokenLifetime: Int64 = 8 * 3600, cost: UInt8 = 10) {
        self.store = store
        self.tokenLifetime = tokenLifetime
        self.cost = cost
    }

    static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.@".unicodeScalars.contains($0) })
        else { throw AccountError.invalid("account names are 1-64 letters, digits, '-', '_', '.' or '@'") }
    }

    static func normalisedAuthority(_ a: String) throws -> String {
        guard let auth = PublisherAccount.authority(of: a) else {
            throw AccountError.invalid("\(a) is not an authority identifier (ivo://authority)")
        }
        return "ivo://" + auth
    }

    public func add(name: String, password: String, authorities: [String]) throws {
        try Self.checkName(name)
        guard password.count >= 8 else { throw AccountError.invalid("passwords need at least 8 characters") }
        let auths = try authorities.map(Self.normalisedAuthority)
        let hash = Bcrypt.hash(password, cost: cost)
        try store.pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM publisher_accounts WHERE name = ?", arguments: [name]) == true {
                throw AccountError.exists(name)
            }
            try db.execute(
                sql: "INSERT INTO publisher_accounts (name, password_hash, created) VALUES (?, ?, ?)",
                arguments: [name, hash, RegistryStore.now()])
            for a in Set(auths) {
                try db.execute(sql: "INSERT INTO publisher_authorities (name, authority) VALUES (?, ?)", arguments: [name, a])
            }
        }
    }

    public func list() throws -> [PublisherAccount] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, created FROM publisher_accounts ORDER BY name").map { row in
                let name: String = row["name"]
                let auths = try String.fetchAll(
                    db, sql: "SELECT authority FROM publisher_authorities WHERE name = ? ORDER BY authority", arguments: [name])
                return PublisherAccount(name: name, authorities: auths, created: row["created"])
            }
        }
    }

    public func account(_ name: String) throws -> PublisherAccount? {
        try list().first { $0.name == name }
    }

    public func remove(name: String) throws {
        try store.pool.write { db in
            try db.execute(sql: "DELETE FROM publisher_accounts WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw AccountError.noSuchAccount(name) }
        }
    }

    /// Sets a new password and revokes the account's tokens.
    public func setPassword(name: String, password: String) throws {
        guard password.count >= 8 else { throw AccountError.invalid("passwords need at least 8 characters") }
        let hash = Bcrypt.hash(password, cost: cost)
        try store.pool.write { db in
            try db.execute(sql: "UPDATE publisher_accounts SET password_hash = ? WHERE name = ?", arguments: [hash, name])
            if db.changesCount == 0 { throw AccountError.noSuchAccount(name) }
            try db.execute(
                sql: "UPDATE publisher_tokens SET revoked = ? WHERE name = ? AND revoked IS NULL",
                arguments: [RegistryStore.now(), name])
        }
    }

    /// Checks a password; on success issues a token. nil when the name or password is wrong
    /// (the same answer for both).
    public func login(name: String, password: String, now: Int64 = RegistryStore.now()) throws -> IssuedToken? {
        let hash = try store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM publisher_accounts WHERE name = ?", arguments: [name])
        }
        // An unknown name costs a bcrypt verification too, so timing does not tell names apart.
        guard Bcrypt.verify(password, hash: hash ?? Self.dummyHash), hash != nil else { return nil }
        let token = Self.randomToken()
        let expires = now + tokenLifetime
        try store.pool.write { db in
            try db.execute(
                sql: "INSERT INTO publisher_tokens (token_hash, name, created, expires) VALUES (?, ?, ?, ?)",
                arguments: [TokenHash.hex(token), name, now, expires])
            // Expired tokens are of no use to anyone.
            try db.execute(sql: "DELETE FROM publisher_tokens WHERE expires < ?", arguments: [now - 86400])
        }
        return IssuedToken(token: token, expires: expires)
    }

    /// The account a token belongs to, when the token is known, unexpired and not revoked.
    public func account(forToken token: String, now: Int64 = RegistryStore.now()) throws -> PublisherAccount? {
        guard token.count >= 20, token.count <= 200 else { return nil }
        let name = try store.pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT name FROM publisher_tokens WHERE token_hash = ? AND revoked IS NULL AND expires > ?",
                arguments: [TokenHash.hex(token), now])
        }
        guard let name else { return nil }
        return try account(name)
    }

    /// Revokes a token. Returns whether it was valid.
    @discardableResult
    public func logout(token: String, now: Int64 = RegistryStore.now()) throws -> Bool {
        try store.pool.write { db in
            try db.execute(
                sql: "UPDATE publisher_tokens SET revoked = ? WHERE token_hash = ? AND revoked IS NULL",
                arguments: [now, TokenHash.hex(token)])
            return db.changesCount > 0
        }
    }

    static let dummyHash = Bcrypt.hash("not a password of anyone", cost: 10)

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return "vrt_" + bytes.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}

/// A token as handed to the client (the only time it exists in clear).
public struct IssuedToken: Sendable, Codable {
    public var token: String
    /// Unix seconds.
    public var expires: Int64
}

/// Slows down repeated failed logins per account name: after the
/// third failure in a row each attempt waits 2^(n-3) × 250 ms, at most 8 s. A success clears it.
public actor LoginThrottle {
    private var failures: [String: (count: Int, last: Date)] = [:]

    public init() {}

    public func delay(for key: String) -> Duration {
        guard let f = failures[key], Date().timeIntervalSince(f.last) < 900, f.count >= 3 else { return .zero }
        let ms = min(8000, 250 << min(f.count - 3, 6))
        return .milliseconds(ms)
    }

    @discardableResult
    public func failed(_ key: String) -> Int {
        var f = failures[key] ?? (0, Date())
        if Date().timeIntervalSince(f.last) >= 900 { f.count = 0 }
        f.count += 1
        f.last = Date()
        failures[key] = f
        if failures.count > 10000 { failures = failures.filter { Date().timeIntervalSince($0.value.last) < 900 } }
        return f.count
    }

    public func succeeded(_ key: String) { failures[key] = nil }
}
