import Foundation
public import VOResource

/// A record (or a whole file) that was not stored, and why.
public struct Rejection: Sendable, Codable, Equatable {
    public var file: String
    /// The record's position in its file; nil when the whole file was refused.
    public var index: Int?
    public var ivoid: String?
    public var reason: String

    /// Writes `index` and `ivoid` as null when absent, so every rejection has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(index, forKey: .index)
        try c.encode(ivoid, forKey: .ivoid)
        try c.encode(reason, forKey: .reason)
    }
}

/// What an import did.
public struct ImportSummary: Sendable, Codable, Equatable {
    public var read = 0
    public var stored = 0
    public var unchanged = 0
    public var deleted = 0
    public var rejected = 0
    public var rejections: [Rejection] = []
    /// Records stored although they are not valid against the schemas (searchable through
    /// RegTAP, not re-exported over OAI-PMH), with the first schema error of each.
    public var invalid = 0
    public var invalidRecords: [Rejection] = []
    public var files = 0

    public init() {}

    /// `read N, stored N, unchanged N, deleted N, rejected N` (and `schema-invalid N` when some were).
    public var line: String {
        "read \(read), stored \(stored), unchanged \(unchanged), deleted \(deleted), rejected \(rejected)"
            + (invalid > 0 ? ", schema-invalid \(invalid)" : "")
    }
}

/// Imports files, directories and OAI-PMH pages into a store.
///
/// Reading, parsing and the RegTAP mapping run on a background thread while this thread
/// writes the previous batch (SQLite has one writer; the machine has two cores), so the
/// ingest rate approaches the parse rate.
public final class RecordImporter: Sendable {
    public let store: RegistryStore
    public let origin: RecordOrigin
    public let visibility: Visibility
    public let limits: XMLLimits
    public let batchSize: Int
    /// Validates each record against the schemas when set (invalid ones are stored, flagged).
    public let validator: SchemaValidator?

    /// The visibility of the records of a file, when it depends on the file (nil: `visibility`).
    public let fileVisibility: (@Sendable (String) -> Visibility)?

    /// - Parameters:
    ///   - batchSize: records per write transaction (`Int.max`: the whole import is one
    ///     transaction, so a crash leaves all of it or none).
    ///   - fileVisibility: the visibility of each file's records, instead of `visibility`.
    public init(
        store: RegistryStore, origin: RecordOrigin = .local, visibility: Visibility = .public,
        limits: XMLLimits = .default, batchSize: Int = 1000, validator: SchemaValidator? = nil,
        fileVisibility: (@Sendable (String) -> Visibility)? = nil
    ) {
        self.fileVisibility = fileVisibility
        self.validator = validator
        self.store = store
        self.origin = origin
        self.visibility = visibility
        self.limits = limits
        self.batchSize = batchSize
    }

    /// File extensions read from directories.
    public static let extensions: Set<String> = ["xml", "oaixml", "vor", "oai"]

    /// Expands files, directories (recursively, by extension) and glob patterns into files, sorted.
    public static func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: p, isDirectory: &isDir) {
                if isDir.boolValue {
                    guard let e = fm.enumerator(atPath: p) else { continue }
                    var found: [String] = []
                    while let rel = e.nextObject() as? String {
                        let full = (p as NSString).appendingPathComponent(rel)
                        if extensions.contains((rel as NSString).pathExtension.lowercased()) {
                            var d: ObjCBool = false
                            if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { found.append(full) }
                        }
                    }
                    out += found.sorted()
                } else {
                    out.append(p)
                }
            } else if p.contains("*") || p.contains("?") || p.contains("[") {
                out += globPaths(p)
            } else {
                throw ImportError.notFound(p)
            }
        }
        return out
    }

    static func globPaths(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// Imports everything under `paths`.
    /// - Parameter progress: called after each written batch with the running totals.
    public func importPaths(_ paths: [String], progress: (@Sendable (ImportSummary) -> Void)? = nil) throws
        -> ImportSummary
    {
        let files = try Self.expand(paths)
        // Only documents within the size limit will be loaded; refused ones do not count.
        let totalBytes = files.reduce(0) {
            let size = ((try? FileManager.default.attributesOfItem(atPath: $1))?[.size] as? Int) ?? 0
            return $0 + (size <= limits.maxDocumentBytes ? size : 0)
        }
        if totalBytes >= bulkThresholdBytes {
            return try store.withDeferredIndexes { try run(files, progress: progress) }
        }
        return try run(files, progress: progress)
    }

    /// Inputs at least this large are loaded with the query indexes rebuilt at the end.
    public var bulkThresholdBytes: Int { 64 * 1024 * 1024 }

    /// Threads that read, parse and map files while this thread writes: one per core, at most
    /// two (the writer needs a core too). `VOREG_READERS` overrides it, for benchmarking.
    public var readerThreads: Int { Int(ProcessInfo.processInfo.environment["VOREG_READERS"] ?? "") ?? max(1, min(2, ProcessInfo.processInfo.activeProcessorCount)) }

    private func run(_ files: [String], progress: (@Sendable (ImportSummary) -> Void)?) throws -> ImportSummary {
        // Files are prepared in parallel but handed over in their order, so when two files
        // hold the same identifier the later file wins, as with one reader.
        let handoff = OrderedHandoff<Batch>(count: files.count, window: 4)
        let origin = self.origin
        let visibility = self.visibility
        let fileVisibility = self.fileVisibility
        let limits = self.limits
        let validator = self.validator
        for _ in 0..<readerThreads {
            let reader = Thread {
                while let i = handoff.claim() {
                    var batch = Batch()
                    batch.files = 1
                    Self.prepare(
                        file: files[i], origin: origin, visibility: fileVisibility?(files[i]) ?? visibility,
                        limits: limits, validator: validator,
                        into: &batch)
                    handoff.put(i, batch)
                }
            }
            reader.stackSize = 8 << 20
            reader.start()
        }

        var summary = ImportSummary()
        var pending = Batch()
        func flush() throws {
            let batch = pending
            pending = Batch()
            guard !batch.items.isEmpty else { return }
            let outcomes = try store.ingest(batch.items.map(\.item))
            for (entry, outcome) in zip(batch.items, outcomes) {
                switch outcome {
                case .stored:
                    summary.stored += 1
                    if case .record(let r) = entry.item, r.schemaValid == false {
                        summary.invalid += 1
                        summary.invalidRecords.append(
                            Rejection(
                                file: entry.file, index: entry.index, ivoid: entry.identifier,
                                reason: r.schemaError ?? "not valid against the schemas"))
                    }
                case .unchanged: summary.unchanged += 1
                case .deleted: summary.deleted += 1
                case .rejected(let why):
                    summary.rejected += 1
                    summary.rejections.append(
                        Rejection(file: entry.file, index: entry.index, ivoid: entry.identifier, reason: why))
                }
            }
            progress?(summary)
            // Freeing a batch (millions of small strings) is real work: do it off the writer.
            releaser.async { withExtendedLifetime(batch) {} }
        }
        while let batch = handoff.take() {
            summary.files += batch.files
            summary.read += batch.items.count + batch.rejections.count
            summary.rejected += batch.rejections.count
            summary.rejections += batch.rejections
            pending.items += batch.items
            if pending.items.count >= batchSize { try flush() }
        }
        try flush()
        progress?(summary)
        return summary
    }

    struct Entry: Sendable {
        var item: IngestItem
        var file: String
        var index: Int
        var identifier: String
    }

    struct Batch: Sendable {
        var items: [Entry] = []
        var rejections: [Rejection] = []
        var files = 0
    }

    static func prepare(
        file: String, origin: RecordOrigin, visibility: Visibility, limits: XMLLimits, validator: SchemaValidator?,
        into batch: inout Batch
    ) {
        let data: Data
        do {
            let attrs = try FileManager.default.attributesOfItem(atPath: file)
            if let size = attrs[.size] as? Int, size > limits.maxDocumentBytes {
                batch.rejections.append(
                    Rejection(
                        file: file, index: nil, ivoid: nil,
                        reason: "document is \(size) bytes, over the limit of \(limits.maxDocumentBytes) bytes"))
                return
            }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            batch.rejections.append(Rejection(file: file, index: nil, ivoid: nil, reason: "cannot read: \(error)"))
            return
        }
        let document: RecordDocument
        do {
            document = try RecordReader.read(data: data, name: file, limits: limits, validator: validator)
        } catch {
            batch.rejections.append(Rejection(file: file, index: nil, ivoid: nil, reason: error.description))
            return
        }
        if let err = document.oaiError {
            if err.code != "noRecordsMatch" {
                batch.rejections.append(
                    Rejection(
                        file: file, index: nil, ivoid: nil, reason: "OAI-PMH error \(err.code): \(err.message)"))
            }
            return
        }
        for entry in document.entries {
            switch entry {
            case .resource(let parsed):
                batch.items.append(
                    Entry(
                        item: .record(PreparedRecord(parsed, origin: origin, visibility: visibility)), file: file,
                        index: parsed.index, identifier: parsed.resource.identifier))
            case .deleted(let identifier, _, let index):
                batch.items.append(
                    Entry(item: .deleted(identifier: identifier, origin: origin), file: file, index: index,
                          identifier: identifier))
            case .rejected(let index, let identifier, let error):
                batch.rejections.append(
                    Rejection(
                        file: file, index: index,
                        ivoid: identifier?.xmlTrimmed,
                        reason: error.description))
            }
        }
    }
}

/// Why an import could not run at all.
public enum ImportError: Error, CustomStringConvertible {
    case notFound(String)
    public var description: String {
        switch self {
        case .notFound(let p): "\(p): no such file or directory"
        }
    }
}

private let releaser = DispatchQueue(label: "voreg.import.release", qos: .utility)

/// Hands prepared files from reader threads to the writer in file order, keeping at most
/// `window` files prepared ahead of the writer (bounded memory).
final class OrderedHandoff<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: T] = [:]
    private var nextClaim = 0
    private var nextTake = 0
    private let count: Int
    private let window: Int

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// The next item index to prepare, or nil when all are claimed.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextClaim < count && nextClaim >= nextTake + window { condition.wait() }
        guard nextClaim < count else { return nil }
        nextClaim += 1
        return nextClaim - 1
    }

    func put(_ index: Int, _ item: T) {
        condition.lock()
        ready[index] = item
        condition.broadcast()
        condition.unlock()
    }

    /// The next item in order, or nil when all have been taken.
    func take() -> T? {
        condition.lock()
        defer { condition.unlock() }
        guard nextTake < count else { return nil }
        while ready[nextTake] == nil { condition.wait() }
        let item = ready.removeValue(forKey: nextTake)
        nextTake += 1
        condition.broadcast()
        return item
    }
}
