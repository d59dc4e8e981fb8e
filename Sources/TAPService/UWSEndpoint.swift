import Foundation

/// What an HTTP layer sends back for a TAP/UWS request.
public enum TAPReply: Sendable {
    case document(status: Int, contentType: String, body: String)
    /// 303 See Other to an absolute URL.
    case redirect(String)
    case file(path: String, contentType: String)

    static func text(_ s: String, status: Int = 200) -> TAPReply {
        .document(status: status, contentType: "text/plain; charset=utf-8", body: s)
    }
    static func xml(_ s: String, status: Int = 200) -> TAPReply {
        .document(status: status, contentType: "text/xml; charset=utf-8", body: s)
    }
    /// An error VOTable (DALI).
    public static func error(_ message: String, status: Int = 400) -> TAPReply {
        .document(status: status, contentType: "application/x-votable+xml", body: VOTable.error(message))
    }
}

extension TAPService {
    /// The UWS 1.1 job list at `/async` and below. `path` is what follows `/async`.
    public func uws(
        method: String, path: [String], parameters: [(name: String, value: String)], audience: TAPAudience,
        parts: [String: [UInt8]] = [:]
    ) async -> TAPReply {
        let base = configuration.baseURL
        func param(_ n: String) -> String? {
            parameters.last { $0.name.caseInsensitiveCompare(n) == .orderedSame }?.value
        }
        let isPost = method == "POST"
        guard let id = path.first else {
            if isPost {
                var uploads: [UploadedTable] = []
                if let up = param("UPLOAD") {
                    do { uploads = try readUploads(up, parts: parts) } catch { return .error(error.description) }
                }
                let job = jobs.create(parameters: parameters, audience: audience, config: configuration, uploads: uploads)
                if param("PHASE")?.uppercased() == "RUN" { jobs.start(job.id, service: self) }
                return .redirect(base + "/async/" + job.id)
            }
            var list = jobs.list().filter { $0.audience == audience || audience == .internalClients }
            let phases = parameters.filter { $0.name.uppercased() == "PHASE" }.map { $0.value.uppercased() }
            if !phases.isEmpty { list = list.filter { phases.contains($0.phase.rawValue) } }
            if let last = param("LAST").flatMap(Int.init), last >= 0 {
                list = Array(list.sorted { $0.creationTime > $1.creationTime }.prefix(last))
            }
            return .xml(UWSXML.list(list, base: base))
        }
        guard var job = jobs.job(id), job.audience == audience || audience == .internalClients else {
            return .text("no job \(id)\n", status: 404)
        }
        let sub = Array(path.dropFirst())
        if method == "DELETE" && sub.isEmpty || (isPost && sub.isEmpty && param("ACTION")?.uppercased() == "DELETE") {
            _ = jobs.delete(id)
            return .redirect(base + "/async")
        }
        switch (sub.first ?? "", isPost) {
        case ("", false):
            if let wait = param("WAIT").flatMap(Int.init) {
                let limit = wait < 0 ? 60 : min(wait, 60)
                let deadline = Date().addingTimeInterval(Double(limit))
                let start = job.phase
                let wantPhase = param("PHASE").flatMap { UWSPhase(rawValue: $0.uppercased()) }
                if start.isActive && (wantPhase == nil || wantPhase == start) {
                    while Date() < deadline {
                        try? await Task.sleep(nanoseconds: 50_000_000)
                        guard let j = jobs.job(id) else { break }
                        job = j
                        if j.phase != start { break }
                    }
                }
            }
            return .xml(UWSXML.job(job, base: base))
        case ("", true):
            return .redirect(base + "/async/" + id)
        case ("phase", false): return .text(job.phase.rawValue)
        case ("phase", true):
            switch param("PHASE")?.uppercased() {
            case "RUN": jobs.start(id, service: self)
            case "ABORT": jobs.abort(id)
            default: return .text("PHASE must be RUN or ABORT\n", status: 400)
            }
            return .redirect(base + "/async/" + id)
        case ("executionduration", false): return .text("\(job.executionDuration)")
        case ("executionduration", true):
            guard let v = param("EXECUTIONDURATION").flatMap(Int.init), v >= 0 else {
                return .text("EXECUTIONDURATION must be a non-negative integer\n", status: 400)
            }
            _ = jobs.update(id) { j in
                if j.phase == .pending { j.executionDuration = v == 0 ? configuration.asyncMaxDuration : min(v, configuration.asyncMaxDuration) }
            }
            return .redirect(base + "/async/" + id)
        case ("destruction", false): return .text(UWSXML.date(job.destruction) ?? "")
        case ("destruction", true):
            guard let text = param("DESTRUCTION"), let d = Self.parseDate(text) else {
                return .text("DESTRUCTION must be an ISO 8601 date-time\n", status: 400)
            }
            let latest = Date().addingTimeInterval(Double(configuration.retention))
            _ = jobs.update(id) { j in j.destruction = min(d, latest) }
            return .redirect(base + "/async/" + id)
        case ("quote", false): return .text("")
        case ("owner", false): return .text("")
        case ("error", false):
            guard let err = job.error else { return .text("the job has no error\n", status: 404) }
            return .error(err, status: 200)
        case ("parameters", false): return .xml(UWSXML.parameters(job, wrapped: true))
        case ("parameters", true):
            guard job.phase == .pending else { return .text("parameters can only change while the job is PENDING\n", status: 409) }
            _ = jobs.update(id) { j in
                for p in parameters where !["PHASE", "ACTION"].contains(p.name.uppercased()) {
                    j.parameters.removeAll { $0.name.caseInsensitiveCompare(p.name) == .orderedSame }
                    j.parameters.append(p)
                }
            }
            return .redirect(base + "/async/" + id)
        case ("results", false):
            if sub.count == 1 { return .xml(UWSXML.results(job, base: base, wrapped: true)) }
            guard sub.count == 2, sub[1] == "result", job.phase == .completed, let mime = job.resultMIME else {
                return .text("no such result\n", status: 404)
            }
            return .file(path: jobs.resultPath(id), contentType: mime)
        default:
            return .text("not found\n", status: 404)
        }
    }

    static func parseDate(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        for opts: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            f.formatOptions = opts
            if let d = f.date(from: s) { return d }
        }
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        return f.date(from: s)
    }
}

extension TAPService {
    /// Reads the tables an UPLOAD parameter names (multipart parts or loopback URLs).
    public func readUploads(_ parameter: String, parts: [String: [UInt8]]) throws(TAPError) -> [UploadedTable] {
        let max = configuration.maxUploadBytes
        return try UploadReader.read(parameter: parameter, parts: parts, maxBytes: max) { url in
            try UploadReader.fetchLoopback(url, maxBytes: max)
        }
    }
}
