import Foundation
public import Harvester

/// The `harvest` object of the config file. Durations are seconds or strings with a unit
/// (`"90s"`, `"15m"`, `"12h"`, `"1d"`); every key is optional (defaults: `HarvestConfiguration`).
public struct HarvestSettings: Codable, Sendable, Equatable {
    public var enabled: Bool?
    public var interval: String?
    public var jitter: Double?
    public var overlap: String?
    public var fullInterval: String?
    public var retryAfterFailure: String?
    public var concurrency: Int?
    public var connectTimeout: String?
    public var readTimeout: String?
    public var requestTimeout: String?
    public var harvestTimeout: String?
    public var retries: Int?
    public var backoff: String?
    public var maxBackoff: String?
    public var maxRedirects: Int?
    public var maxPages: Int?
    public var maxPageBytes: Int?
    /// A Registry of Registries to discover peers from (at start, then every rediscoverInterval).
    public var rofr: String?
    public var rediscoverInterval: String?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, interval, jitter, overlap, fullInterval, retryAfterFailure, concurrency, connectTimeout
        case readTimeout, requestTimeout, harvestTimeout, retries, backoff, maxBackoff, maxRedirects, maxPages
        case maxPageBytes, rofr, rediscoverInterval
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = all.allKeys.map(\.stringValue).filter({ !known.contains($0) }).sorted().first {
            throw ConfigurationError("the harvest settings have an unknown key \"\(unknown)\"")
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func duration(_ k: CodingKeys) throws -> String? {
            if let s = try? c.decodeIfPresent(String.self, forKey: k) { return s }
            return try c.decodeIfPresent(Double.self, forKey: k).map { String($0) }
        }
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        interval = try duration(.interval)
        jitter = try c.decodeIfPresent(Double.self, forKey: .jitter)
        overlap = try duration(.overlap)
        fullInterval = try duration(.fullInterval)
        retryAfterFailure = try duration(.retryAfterFailure)
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
        connectTimeout = try duration(.connectTimeout)
        readTimeout = try duration(.readTimeout)
        requestTimeout = try duration(.requestTimeout)
        harvestTimeout = try duration(.harvestTimeout)
        retries = try c.decodeIfPresent(Int.self, forKey: .retries)
        backoff = try duration(.backoff)
        maxBackoff = try duration(.maxBackoff)
        maxRedirects = try c.decodeIfPresent(Int.self, forKey: .maxRedirects)
        maxPages = try c.decodeIfPresent(Int.self, forKey: .maxPages)
        maxPageBytes = try c.decodeIfPresent(Int.self, forKey: .maxPageBytes)
        rofr = try c.decodeIfPresent(String.self, forKey: .rofr)
        rediscoverInterval = try duration(.rediscoverInterval)
    }

    /// This layer with every key `other` sets replaced by `other`'s value.
    public func overlaid(by o: HarvestSettings) -> HarvestSettings {
        var r = self
        if let v = o.enabled { r.enabled = v }
        if let v = o.interval { r.interval = v }
        if let v = o.jitter { r.jitter = v }
        if let v = o.overlap { r.overlap = v }
        if let v = o.fullInterval { r.fullInterval = v }
        if let v = o.retryAfterFailure { r.retryAfterFailure = v }
        if let v = o.concurrency { r.concurrency = v }
        if let v = o.connectTimeout { r.connectTimeout = v }
        if let v = o.readTimeout { r.readTimeout = v }
        if let v = o.requestTimeout { r.requestTimeout = v }
        if let v = o.harvestTimeout { r.harvestTimeout = v }
        if let v = o.retries { r.retries = v }
        if let v = o.backoff { r.backoff = v }
        if let v = o.maxBackoff { r.maxBackoff = v }
        if let v = o.maxRedirects { r.maxRedirects = v }
        if let v = o.maxPages { r.maxPages = v }
        if let v = o.maxPageBytes { r.maxPageBytes = v }
        if let v = o.rofr { r.rofr = v }
        if let v = o.rediscoverInterval { r.rediscoverInterval = v }
        return r
    }

    /// The validated configuration.
    public func resolved() throws -> HarvestConfiguration {
        var h = HarvestConfiguration()
        func seconds(_ v: String?, _ name: String, min: Int64 = 0) throws -> Int64? {
            guard let v else { return nil }
            guard let s = HarvestConfiguration.parseDuration(v), s >= min else {
                throw ConfigurationError("harvest.\(name) must be a duration of at least \(min) s (like 12h), not \(v)")
            }
            return s
        }
        if let v = enabled { h.enabled = v }
        if let v = try seconds(interval, "interval", min: 1) { h.interval = v }
        if let v = jitter {
            guard (0...0.5).contains(v) else { throw ConfigurationError("harvest.jitter must be 0...0.5") }
            h.jitter = v
        }
        if let v = try seconds(overlap, "overlap") { h.overlap = v }
        if let v = try seconds(fullInterval, "fullInterval", min: 1) { h.fullInterval = v }
        if let v = try seconds(retryAfterFailure, "retryAfterFailure", min: 1) { h.retryAfterFailure = v }
        if let v = concurrency {
            guard v >= 1 else { throw ConfigurationError("harvest.concurrency must be at least 1") }
            h.concurrency = v
        }
        if let v = try seconds(connectTimeout, "connectTimeout", min: 1) { h.connectTimeout = Double(v) }
        if let v = try seconds(readTimeout, "readTimeout", min: 1) { h.readTimeout = Double(v) }
        if let v = try seconds(requestTimeout, "requestTimeout", min: 1) { h.requestTimeout = Double(v) }
        if let v = try seconds(harvestTimeout, "harvestTimeout", min: 1) { h.harvestTimeout = Double(v) }
        if let v = retries {
            guard (0...20).contains(v) else { throw ConfigurationError("harvest.retries must be 0...20") }
            h.retries = v
        }
        if let v = try seconds(backoff, "backoff") { h.backoff = Double(v) }
        if let v = try seconds(maxBackoff, "maxBackoff") { h.maxBackoff = Double(v) }
        if let v = maxRedirects {
            guard (0...20).contains(v) else { throw ConfigurationError("harvest.maxRedirects must be 0...20") }
            h.maxRedirects = v
        }
        if let v = maxPages {
            guard v >= 1 else { throw ConfigurationError("harvest.maxPages must be at least 1") }
            h.maxPages = v
        }
        if let v = maxPageBytes {
            guard v >= 1024 else { throw ConfigurationError("harvest.maxPageBytes must be at least 1024") }
            h.maxPageBytes = v
        }
        if let v = rofr {
            guard let u = URL(string: v), ["http", "https"].contains(u.scheme?.lowercased() ?? "") else {
                throw ConfigurationError("harvest.rofr must be an http(s) URL, not \(v)")
            }
            h.rofr = v
        }
        h.rediscoverInterval = try seconds(rediscoverInterval, "rediscoverInterval", min: 60)
        return h
    }
}
