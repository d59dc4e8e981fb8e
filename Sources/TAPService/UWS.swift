import Foundation
import VOResource

/// UWS 1.1 execution phases.
public enum UWSPhase: String, Sendable {
    case pending = "PENDING", queued = "QUEUED", executing = "EXECUTING", completed = "COMPLETED"
    case error = "ERROR", aborted = "ABORTED", unknown = "UNKNOWN", held = "HELD", suspended = "SUSPENDED"
    case archived = "ARCHIVED"

    public var isActive: Bool { self == .pending || self == .queued || self == .executing }
}

/// One asynchronous TAP job. Jobs have no owner (the service has no accounts for queries);
/// they live in memory with their results in files, and go at their destruction time.
public struct UWSJob: Sendable {
    public var id: String
    public var runID: String?
    public var phase: UWSPhase
    public var parameters: [(name: String, value: String)]
    public var creationTime: Date
    public var startTime: Date?
    public var endTime: Date?
    public var executionDuration: Int
    public var destruction: Date
    public var error: String?
    public var resultMIME: String?
    public var audience: TAPAudience
    /// Tables uploaded when the job was created.
    public var uploads: [UploadedTable] = []
}

/// The job list: creation, phases, execution on background threads, destruction.
public final class UWSJobs: @unchecked Sendable {
    let directory: String
    private let lock = NSLock()
    private var jobs: [String: UWSJob] = [:]
    private var order: [String] = []
    private var cancels: [String: QueryCancel] = [:]
    private let queue = DispatchQueue(label: "voreg.uws", qos: .userInitiated, attributes: .concurrent)
    private let slots = DispatchSemaphore(value: 2)

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public func job(_ id: String) -> UWSJob? {
        purge()
        lock.lock()
        defer { lock.unlock() }
        return jobs[id]
    }

    public func list() -> [UWSJob] {
        purge()
        lock.lock()
        defer { lock.unlock() }
        return order.compactMap { jobs[$0] }
    }

    func resultPath(_ id: String) -> String { directory + "/" + id + ".result" }

    /// Creates a PENDING job.
    func create(
        parameters: [(name: String, value: String)], audience: TAPAudience, config: TAPConfiguration,
        uploads: [UploadedTable] = []
    ) -> UWSJob {
        purge()
        let now = Date()
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let runID = parameters.last { $0.name.caseInsensitiveCompare("RUNID") == .orderedSame }?.value
        let job = UWSJob(
            id: String(id), runID: runID, phase: .pending,
            parameters: parameters.filter {
                !["PHASE", "RUNID", "ACTION"].contains($0.name.uppercased())
            }, creationTime: now, startTime: nil, endTime: nil,
            executionDuration: config.asyncDefaultDuration, destruction: now.addingTimeInterval(Double(config.retention)),
            error: nil, resultMIME: nil, audience: audience, uploads: uploads)
        lock.lock()
        jobs[job.id] = job
        order.append(job.id)
        lock.unlock()
        return job
    }

    func update(_ id: String, _ change: (inout UWSJob) -> Void) -> UWSJob? {
        lock.lock()
        defer { lock.unlock() }
        guard var j = jobs[id] else { return nil }
        change(&j)
        jobs[id] = j
        return j
    }

    /// Starts a PENDING job (RUN); a job in another phase is left as it is.
    func start(_ id: String, service: TAPService) {
        let cancel = QueryCancel()
        var startable = false
        _ = update(id) { j in
            if j.phase == .pending {
                j.phase = .queued
                startable = true
            }
        }
        guard startable else { return }
        lock.lock()
        cancels[id] = cancel
        lock.unlock()
        queue.async { [self] in
            slots.wait()
            defer { slots.signal() }
            guard let job = update(id, { j in
                if j.phase == .queued {
                    j.phase = .executing
                    j.startTime = Date()
                }
            }), job.phase == .executing else { return }
            execute(job, cancel: cancel, service: service)
        }
    }

    private func execute(_ job: UWSJob, cancel: QueryCancel, service: TAPService) {
        let path = resultPath(job.id)
        var outcome: (UWSPhase, String?, String?)
        do {
            var request = try TAPRequest(parameters: job.parameters, configuration: service.configuration)
            request.uploads = job.uploads
            let translation = try service.translate(request, audience: job.audience)
            FileManager.default.createFile(atPath: path, contents: nil)
            guard let file = FileHandle(forWritingAtPath: path) else {
                throw TAPError.execution("cannot write the result file")
            }
            defer { try? file.close() }
            try service.run(
                request, translation: translation, timeLimit: Double(job.executionDuration), cancel: cancel
            ) { text in file.write(Data(text.utf8)) }
            outcome = (.completed, nil, request.format.mimeType)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            outcome = cancel.isCancelled ? (.aborted, nil, nil) : (.error, (error as? TAPError)?.description ?? "\(error)", nil)
        }
        if cancel.isCancelled && outcome.0 == .completed { outcome = (.aborted, nil, nil) }
        _ = update(job.id) { j in
            guard j.phase == .executing else { return }
            j.phase = outcome.0
            j.error = outcome.1
            j.resultMIME = outcome.2
            j.endTime = Date()
        }
        lock.lock()
        cancels[job.id] = nil
        lock.unlock()
    }

    /// ABORT: a pending or running job stops.
    func abort(_ id: String) {
        lock.lock()
        let c = cancels[id]
        lock.unlock()
        c?.cancel()
        _ = update(id) { j in
            if j.phase.isActive {
                j.phase = .aborted
                j.endTime = Date()
            }
        }
    }

    /// Removes a job and its result.
    func delete(_ id: String) -> Bool {
        abort(id)
        lock.lock()
        let existed = jobs.removeValue(forKey: id) != nil
        order.removeAll { $0 == id }
        lock.unlock()
        try? FileManager.default.removeItem(atPath: resultPath(id))
        return existed
    }

    /// Destroys jobs past their destruction time.
    func purge() {
        let now = Date()
        lock.lock()
        let gone = jobs.values.filter { $0.destruction < now }.map(\.id)
        lock.unlock()
        for id in gone { _ = delete(id) }
    }
}

/// UWS 1.1 XML documents.
enum UWSXML {
    static let ns = "http://www.ivoa.net/xml/UWS/v1.0"
    static let head =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let nsDecl =
        "xmlns:uws=\"\(ns)\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""

    static func date(_ d: Date?) -> String? {
        guard let d else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    static func e(_ s: String) -> String { XMLEscaping.escape(s) }

    static func element(_ name: String, _ value: String?) -> String {
        value.map { "<uws:\(name)>\(e($0))</uws:\(name)>" } ?? "<uws:\(name) xsi:nil=\"true\"/>"
    }

    static func job(_ j: UWSJob, base: String) -> String {
        var s = head + "<uws:job version=\"1.1\" \(nsDecl)>\n"
        s += "<uws:jobId>\(e(j.id))</uws:jobId>\n"
        if let r = j.runID { s += "<uws:runId>\(e(r))</uws:runId>\n" }
        s += "<uws:ownerId xsi:nil=\"true\"/>\n"
        s += "<uws:phase>\(j.phase.rawValue)</uws:phase>\n"
        s += element("quote", nil) + "\n"
        s += element("creationTime", date(j.creationTime)) + "\n"
        s += element("startTime", date(j.startTime)) + "\n"
        s += element("endTime", date(j.endTime)) + "\n"
        s += "<uws:executionDuration>\(j.executionDuration)</uws:executionDuration>\n"
        s += element("destruction", date(j.destruction)) + "\n"
        s += parameters(j, wrapped: false)
        s += results(j, base: base, wrapped: false)
        if let err = j.error {
            s += "<uws:errorSummary type=\"fatal\" hasDetail=\"true\"><uws:message>\(e(err))</uws:message></uws:errorSummary>\n"
        }
        s += "</uws:job>\n"
        return s
    }

    static func parameters(_ j: UWSJob, wrapped: Bool) -> String {
        var s = wrapped ? head + "<uws:parameters \(nsDecl)>\n" : "<uws:parameters>\n"
        for p in j.parameters {
            s += "<uws:parameter id=\"\(XMLEscaping.escape(p.name.uppercased(), attribute: true))\">\(e(p.value))</uws:parameter>\n"
        }
        return s + "</uws:parameters>\n"
    }

    static func results(_ j: UWSJob, base: String, wrapped: Bool) -> String {
        var s = wrapped ? head + "<uws:results \(nsDecl)>\n" : "<uws:results>\n"
        if j.phase == .completed, let mime = j.resultMIME {
            s += "<uws:result id=\"result\" xlink:type=\"simple\" xlink:href=\"\(XMLEscaping.escape(base + "/async/" + j.id + "/results/result", attribute: true))\" mime-type=\"\(XMLEscaping.escape(mime, attribute: true))\"/>\n"
        }
        return s + "</uws:results>\n"
    }

    static func list(_ jobs: [UWSJob], base: String) -> String {
        var s = head + "<uws:jobs version=\"1.1\" \(nsDecl)>\n"
        for j in jobs {
            s += "<uws:jobref id=\"\(XMLEscaping.escape(j.id, attribute: true))\" xlink:type=\"simple\" xlink:href=\"\(XMLEscaping.escape(base + "/async/" + j.id, attribute: true))\">"
            s += "<uws:phase>\(j.phase.rawValue)</uws:phase>"
            if let r = j.runID { s += "<uws:runId>\(e(r))</uws:runId>" }
            s += "<uws:ownerId xsi:nil=\"true\"/>"
            s += "<uws:creationTime>\(date(j.creationTime)!)</uws:creationTime></uws:jobref>\n"
        }
        return s + "</uws:jobs>\n"
    }
}
