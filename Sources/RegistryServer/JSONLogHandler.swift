import Foundation
public import Logging

/// A swift-log handler writing one JSON object per line:
/// `{"timestamp":"…","level":"info","label":"…","message":"…", <metadata>…}`.
public struct JSONLogHandler: LogHandler {
    /// Where lines go (stdout by default); the lock keeps lines whole across threads.
    public final class Output: @unchecked Sendable {
        let lock = NSLock()
        let write: (String) -> Void

        public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

        /// Standard output, flushed line by line.
        public static let standardOutput = Output { line in
            FileHandle.standardOutput.write(Data(line.utf8))
        }

        func emit(_ line: String) {
            lock.lock()
            defer { lock.unlock() }
            write(line)
        }
    }

    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let output: Output

    public init(label: String, level: Logger.Level = .info, output: Output = .standardOutput) {
        self.label = label
        logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let p = metadataProvider { all.merge(p.get(), uniquingKeysWith: { _, new in new }) }
        if let m = event.metadata { all.merge(m, uniquingKeysWith: { _, new in new }) }
        var line = "{\"timestamp\":\(Self.quote(Self.timestamp()))"
        line += ",\"level\":\(Self.quote(event.level.rawValue))"
        line += ",\"label\":\(Self.quote(label))"
        line += ",\"message\":\(Self.quote(event.message.description))"
        for key in all.keys.sorted() where !["timestamp", "level", "label", "message"].contains(key) {
            line += ",\(Self.quote(key)):\(Self.json(all[key]!))"
        }
        output.emit(line + "}\n")
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        var tmv = tm()
        var secs = t.tv_sec
        gmtime_r(&secs, &tmv)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1,
            Int(tmv.tm_mday), Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec), Int(t.tv_nsec / 1_000_000))
    }

    /// Metadata values: numbers and booleans written as strings by callers stay JSON numbers
    /// when they look like one (durations, status codes), everything else is a string.
    static func json(_ v: Logger.Metadata.Value) -> String {
        switch v {
        case .string(let s): return quote(s)
        case .stringConvertible(let c):
            if let d = c as? Double { return d.isFinite ? "\(d)" : quote("\(d)") }
            if c is any BinaryInteger || c is Bool { return "\(c)" }
            return quote(c.description)
        case .array(let a): return "[" + a.map(json).joined(separator: ",") + "]"
        case .dictionary(let d):
            return "{" + d.keys.sorted().map { quote($0) + ":" + json(d[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where ch.value < 0x20:
                out += String(format: "\\u%04x", ch.value)
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
