import Foundation
public import Harvester

/// One layer of server settings: the config file, the environment or the command line.
/// Every field is optional; layers are merged with `overlaid(by:)`.
public struct ServerSettings: Codable, Sendable, Equatable {
    /// `HOST:PORT` to bind.
    public var listen: String?
    /// The public URL of the server root (the OAI-PMH endpoint is `<baseURL>/oai`).
    public var baseURL: String?
    /// The SQLite store file.
    public var database: String?
    /// The IVOA identifier of this registry.
    public var registryIvoid: String?
    /// The registry's title (also the OAI-PMH repositoryName).
    public var title: String?
    /// The publisher (curation/publisher of the registry, managingOrg of its authorities).
    public var publisher: String?
    /// The contact's name (default: the publisher).
    public var contactName: String?
    /// The contact's email (also the OAI-PMH adminEmail).
    public var contactEmail: String?
    /// The registry record's description.
    public var description: String?
    /// The registry record's referenceURL (default: the base URL).
    public var referenceURL: String?
    /// The authorities this registry manages.
    public var managedAuthorities: [String]?
    /// Records per OAI-PMH list page.
    public var pageSize: Int?
    /// How long resumption tokens stay valid, in seconds.
    public var tokenLifetime: Int?
    /// Where the sample records are (imported when the store holds no records; "" = never).
    public var sampleRecords: String?
    /// Harvesting of peer registries (the `harvest` object).
    public var harvest: HarvestSettings?

    public init() {}

    /// This layer with every field `other` sets replaced by `other`'s value.
    public func overlaid(by other: ServerSettings) -> ServerSettings {
        var r = self
        if let v = other.listen { r.listen = v }
        if let v = other.baseURL { r.baseURL = v }
        if let v = other.database { r.database = v }
        if let v = other.registryIvoid { r.registryIvoid = v }
        if let v = other.title { r.title = v }
        if let v = other.publisher { r.publisher = v }
        if let v = other.contactName { r.contactName = v }
        if let v = other.contactEmail { r.contactEmail = v }
        if let v = other.description { r.description = v }
        if let v = other.referenceURL { r.referenceURL = v }
        if let v = other.managedAuthorities { r.managedAuthorities = v }
        if let v = other.pageSize { r.pageSize = v }
        if let v = other.tokenLifetime { r.tokenLifetime = v }
        if let v = other.sampleRecords { r.sampleRecords = v }
        if let v = other.harvest { r.harvest = (r.harvest ?? HarvestSettings()).overlaid(by: v) }
        return r
    }

    /// The settings a config file holds (unknown keys are an error, so typos do not pass silently).
    public static func load(file path: String) throws -> ServerSettings {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigurationError("cannot read the config file \(path): \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError("the config file \(path) is not a JSON object")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = object.keys.filter({ !known.contains($0) }).sorted().first {
            throw ConfigurationError("the config file \(path) has an unknown key \"\(unknown)\"")
        }
        do { return try JSONDecoder().decode(ServerSettings.self, from: data) } catch let e as ConfigurationError {
            throw ConfigurationError("the config file \(path): \(e.description)")
        } catch {
            throw ConfigurationError("the config file \(path) is not valid: \(error)")
        }
    }

    /// The settings given by `VOREG_*` environment variables.
    public static func environment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> ServerSettings
    {
        var s = ServerSettings()
        func value(_ name: String) -> String? {
            guard let v = env[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        s.listen = value("VOREG_LISTEN")
        s.baseURL = value("VOREG_BASE_URL")
        s.database = value("VOREG_DATABASE")
        s.registryIvoid = value("VOREG_REGISTRY_IVOID")
        if let p = value("VOREG_PAGE_SIZE") {
            guard let n = Int(p) else { throw ConfigurationError("VOREG_PAGE_SIZE must be an integer, not \(p)") }
            s.pageSize = n
        }
        return s
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case listen, baseURL, database, registryIvoid, title, publisher, contactName, contactEmail, description
        case referenceURL, managedAuthorities, pageSize, tokenLifetime, sampleRecords
        case harvest
    }
}

/// A configuration problem, reported to the user as is.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The server's resolved, validated configuration.
public struct ServerConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The server root URL, without a trailing slash.
    public var baseURL: String
    public var database: String
    public var registryIvoid: String
    public var title: String
    public var publisher: String
    public var contactName: String
    public var contactEmail: String
    public var description: String
    public var referenceURL: String
    /// Managed authorities as configured (case kept), without duplicates.
    public var managedAuthorities: [String]
    public var pageSize: Int
    public var tokenLifetime: Int
    /// The sample records directory, or nil for none.
    public var sampleRecords: String?
    /// Harvesting of peer registries.
    public var harvest: HarvestConfiguration
    /// `HOST:PORT` of the internal listener (`--internal-listen`): requests arriving there see
    /// internal records. nil: no internal listener.
    public var internalListen: String? = nil
    /// How long a publisher's bearer token stays valid, in seconds.
    public var apiTokenLifetime: Int = 8 * 3600
    /// How often `serve` re-reads the VOSI documents of records built from them, in seconds.
    public var vosiInterval: Int = 3600
    /// Idle timeout and connection limit of each listener (`--idle-timeout`, `--max-connections`).
    public var http = HTTPLimits()
    /// Seconds a synchronous TAP query may run before it is stopped with a TAP error
    /// (`--tap-sync-timeout`).
    public var tapSyncTimeLimit: Double = 30

    /// The OAI-PMH endpoint.
    public var oaiURL: String { baseURL + "/oai" }

    /// The embedded defaults: a publishing registry for the sample records on 127.0.0.1:8080.
    public static let defaults: ServerSettings = {
        var s = ServerSettings()
        s.listen = "127.0.0.1:8080"
        s.database = "var/voreg.sqlite"
        s.registryIvoid = "ivo://voregistry.example/registry"
        s.title = "VORegistry publishing registry"
        s.publisher = "VORegistry Project"
        s.contactEmail = "registry@voregistry.example"
        s.managedAuthorities = ["voregistry.example", "example-dc.org"]
        s.pageSize = 500
        s.tokenLifetime = 86_400
        s.sampleRecords = "Resources/records"
        return s
    }()

    /// The default config file, used when present and no `--config` is given.
    public static let defaultConfigFile = "Resources/voreg.json"

    /// Merges the layers (flags > environment > file > defaults) and validates the result.
    public static func resolve(
        file: ServerSettings?, environment: ServerSettings, flags: ServerSettings
    ) throws -> ServerConfiguration {
        let s = defaults.overlaid(by: file ?? ServerSettings()).overlaid(by: environment).overlaid(by: flags)
        return try ServerConfiguration(s)
    }

    /// Validates fully merged settings (every field the defaults set must be present).
    public init(_ s: ServerSettings) throws {
        let listen = s.listen ?? "127.0.0.1:8080"
        (host, port) = try Self.parseListen(listen)
        var base = s.baseURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else { throw ConfigurationError("the base URL must be an http(s) URL, not \(base)") }
        guard url.query == nil, url.fragment == nil else {
            throw ConfigurationError("the base URL must not have a query or fragment: \(base)")
        }
        baseURL = base
        database = s.database ?? "var/voreg.sqlite"
        guard !database.isEmpty else { throw ConfigurationError("the database path is empty") }

        let ivoid = (s.registryIvoid ?? "").trimmingCharacters(in: .whitespaces)
        guard ivoid.lowercased().hasPrefix("ivo://"), Self.isAuthorityID(Self.authority(of: ivoid)),
            !ivoid.contains(where: { $0 == " " || $0 == "?" || $0 == "#" })
        else { throw ConfigurationError("the registry ivoid must be ivo://AUTHORITY/..., not \(ivoid)") }
        registryIvoid = ivoid
        title = try Self.nonEmpty(s.title, "title")
        publisher = try Self.nonEmpty(s.publisher, "publisher")
        contactName = s.contactName.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? publisher
        contactEmail = try Self.nonEmpty(s.contactEmail, "contact email")
        guard contactEmail.contains("@"), !contactEmail.contains(where: \.isWhitespace) else {
            throw ConfigurationError("the contact email is not an email address: \(contactEmail)")
        }
        var seen = Set<String>()
        managedAuthorities = []
        for a in s.managedAuthorities ?? [] {
            var a = a.trimmingCharacters(in: .whitespaces)
            if a.lowercased().hasPrefix("ivo://") { a = String(a.dropFirst(6)) }
            guard Self.isAuthorityID(a) else { throw ConfigurationError("not an authority identifier: \(a)") }
            if seen.insert(a.lowercased()).inserted { managedAuthorities.append(a) }
        }
        description =
            s.description
            ?? "The IVOA publishing registry \(ivoid), operated by \(publisher)."
                + (managedAuthorities.isEmpty
                    ? "" : " It manages the authorities " + managedAuthorities.joined(separator: ", ") + ".")
        referenceURL = s.referenceURL ?? (base + "/")
        guard let ref = URL(string: referenceURL), ref.scheme != nil else {
            throw ConfigurationError("the reference URL is not a URL: \(referenceURL)")
        }
        pageSize = s.pageSize ?? 500
        guard (1...100_000).contains(pageSize) else { throw ConfigurationError("the page size must be 1...100000") }
        tokenLifetime = s.tokenLifetime ?? 86_400
        guard tokenLifetime >= 60 else { throw ConfigurationError("the token lifetime must be at least 60 s") }
        sampleRecords = s.sampleRecords.flatMap { $0.isEmpty ? nil : $0 }
        harvest = try (s.harvest ?? HarvestSettings()).resolved()
    }

    static func nonEmpty(_ v: String?, _ what: String) throws -> String {
        guard let v = v?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
            throw ConfigurationError("the \(what) is empty")
        }
        return v
    }

    /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (localhost).
    public static func parseListen(_ s: String) throws -> (String, Int) {
        let bad = ConfigurationError("--listen must be HOST:PORT, not \(s)")
        guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port)
        else { throw bad }
        var host = String(s[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        return (host, port)
    }

    /// The authority part of an ivoid (after `ivo://`, up to `/`, `?` or `#`).
    static func authority(of ivoid: String) -> String {
        String(ivoid.dropFirst(6).prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }

    /// VOResource's AuthorityID pattern: `[\w\d][\w\d\-_\.!~\*'\(\)\+=]{2,}`.
    static func isAuthorityID(_ s: String) -> Bool {
        guard s.count >= 3, let first = s.unicodeScalars.first, CharacterSet.alphanumerics.contains(first) else {
            return false
        }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.!~*'()+="))
        return s.unicodeScalars.allSatisfy { allowed.contains($0) }
    }
}
