import Foundation
import OAIPMH
import Hummingbird
import TAPService
import ADQL

/// The RegTAP TAP service at `/tap`: sync and async (UWS) queries, the VOSI documents and the
/// DALI examples.
extension RegistryServer {
    func addTAPRoutes(to router: Router<BasicRequestContext>, internalListener: Bool = false) {
        // The audience is decided once per request: the internal listener or a valid token.
        @Sendable func who(_ request: Request) async -> TAPAudience {
            await self.audience(request, internalListener: internalListener).tap
        }
        let tap = self.tap
        // A POST body holds the parameters and the inline uploads: the upload limit plus 1 MiB.
        let postLimit = tap.configuration.maxUploadBytes + (1 << 20)
        router.get("/tap") { _, _ in
            Self.plain(.ok, "VORegistry RegTAP service (TAP 1.1): /tap/sync, /tap/async, /tap/capabilities, /tap/tables\n")
        }
        router.get("/tap/capabilities") { _, _ in Self.xml(tap.capabilitiesDocument()) }
        router.get("/tap/availability") { _, _ in
            await Self.blocking { Self.xml(tap.availabilityDocument(since: self.started)) }
        }
        router.get("/tap/tables") { request, _ in
            let audience = await who(request)
            let detail = FormParameters.parse(request.uri.query ?? "").last { $0.name.lowercased() == "detail" }?.value
            return Self.xml(tap.tablesDocument(audience: audience, detail: detail) ?? "")
        }
        router.get("/tap/tables/{table}") { request, context in
            let audience = await who(request)
            let name = context.parameters.get("table") ?? ""
            guard let doc = tap.tablesDocument(audience: audience, detail: nil, table: name) else {
                return Self.plain(.notFound, "no table \(name)\n")
            }
            return Self.xml(doc)
        }
        router.get("/tap/examples") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/xhtml+xml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: tap.examplesDocument())))
        }
        router.get("/tap/sync") { request, _ in
            await self.tapSync(FormParameters.parse(request.uri.query ?? ""), audience: who(request))
        }
        router.post("/tap/sync") { request, _ in
            switch try await Self.tapParameters(request, limit: postLimit) {
            case .parameters(let p, let parts):
                return await self.tapSync(FormParameters.parse(request.uri.query ?? "") + p, audience: who(request), parts: parts)
            case .reply(let r): return r
            }
        }
        for method in [HTTPRequest.Method.get, .post, .delete] {
            for path in ["/tap/async", "/tap/async/{a}", "/tap/async/{a}/{b}", "/tap/async/{a}/{b}/{c}"] {
                router.on(RouterPath(path), method: method) { request, context in
                    var params = FormParameters.parse(request.uri.query ?? "")
                    var files: [String: [UInt8]] = [:]
                    if method == .post {
                        switch try await Self.tapParameters(request, limit: postLimit) {
                        case .parameters(let p, let f):
                            params += p
                            files = f
                        case .reply(let r): return r
                        }
                    }
                    let parts = ["a", "b", "c"].compactMap { context.parameters.get($0) }
                    let audience = await who(request)
                    let reply = await tap.uws(
                        method: method.rawValue, path: parts, parameters: params, audience: audience,
                        parts: files)
                    if case .document(let status, _, let body) = reply, status >= 400 {
                        self.logger.info("TAP request refused", metadata: ["status": "\(status)", "answer": "\(body.suffix(400))"])
                    }
                    return Self.response(reply)
                }
            }
        }
    }

    /// Parameters of a POST: form-encoded, or multipart/form-data (its plain fields).
    /// `limit`: the largest body accepted (the upload limit plus room for the other fields).
    static func tapParameters(_ request: Request, limit: Int) async throws -> TAPPostBody {
        let type = request.headers[.contentType]?.lowercased() ?? "application/x-www-form-urlencoded"
        let body = try await request.collectBody(limit: limit)
        if type.hasPrefix("application/x-www-form-urlencoded") {
            return .parameters(FormParameters.parse(String(buffer: body)), [:])
        }
        if type.hasPrefix("multipart/form-data") {
            // The boundary is case-sensitive: read it from the header as sent.
            guard let boundary = MultipartForm.boundary(request.headers[.contentType] ?? "") else {
                return .reply(response(.error("multipart/form-data without a boundary")))
            }
            let all = MultipartForm.parse(Array(body.readableBytesView), boundary: boundary)
            var files: [String: [UInt8]] = [:]
            for p in all { files[p.name] = p.data }
            return .parameters(
                all.filter { $0.filename == nil }.map { ($0.name, String(decoding: $0.data, as: UTF8.self)) }, files)
        }
        return .reply(response(.error("POST bodies must be application/x-www-form-urlencoded or multipart/form-data", status: 415)))
    }

    static func xml(_ s: String) -> Response {
        Response(status: .ok, headers: xmlHeaders, body: ResponseBody(byteBuffer: ByteBuffer(string: s)))
    }

    static func blocking(_ body: @escaping @Sendable () -> Response) async -> Response {
        await withCheckedContinuation { c in BlockingWorkers.shared.submit { c.resume(returning: body()) } }
    }

    static func response(_ reply: TAPReply) -> Response {
        switch reply {
        case .document(let status, let type, let body):
            return Response(
                status: .init(code: status), headers: [.contentType: type],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        case .redirect(let url):
            return Response(status: .seeOther, headers: [.location: url, .contentType: "text/plain"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "see \(url)\n")))
        case .file(let path, let type):
            guard let data = FileManager.default.contents(atPath: path) else {
                return plain(.notFound, "the result is gone\n")
            }
            return Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// A synchronous query: parameter and ADQL errors are answered at once (400, error
    /// VOTable); the result streams from the database in 64 KB chunks.
    func tapSync(
        _ parameters: [(name: String, value: String)], audience: TAPAudience, parts: [String: [UInt8]] = [:]
    ) async -> Response {
        let tap = self.tap
        let prepared: Result<(TAPRequest, ADQLTranslation), TAPError> = await withCheckedContinuation { c in
            // Reading uploads may fetch a URL: off the cooperative pool.
            BlockingWorkers.shared.submit {
                c.resume(returning: Result { () throws(TAPError) -> (TAPRequest, ADQLTranslation) in
                    var request = try TAPRequest(parameters: parameters, configuration: tap.configuration)
                    if let up = request.uploadParameter { request.uploads = try tap.readUploads(up, parts: parts) }
                    return (request, try tap.translate(request, audience: audience))
                })
            }
        }
        let request: TAPRequest
        let translation: ADQLTranslation
        switch prepared {
        case .success(let p): (request, translation) = p
        case .failure(let error):
            logger.info("TAP query refused", metadata: ["error": "\(error.description)"])
            return Self.response(.error(error.description))
        }
        let limit = tap.configuration.syncTimeLimit
        return await stream(headers: [.contentType: request.format.mimeType], what: "TAP result") { sink in
            try tap.run(request, translation: translation, timeLimit: limit, sink: sink)
        } failed: { error in
            let status = (error as? TAPError).map { if case .usage = $0 { 400 } else { 500 } } ?? 500
            return Self.response(.error((error as? TAPError)?.description ?? "\(error)", status: status))
        }
    }
}

/// A minimal multipart/form-data reader (RFC 7578): parts with their name, filename and bytes.
enum MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var data: [UInt8]
    }

    static func boundary(_ contentType: String) -> String? {
        for p in contentType.split(separator: ";") {
            let kv = p.trimmingCharacters(in: .whitespaces)
            if kv.lowercased().hasPrefix("boundary=") {
                return String(kv.dropFirst(9)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) -> [Part] {
        let delim = Array(("--" + boundary).utf8)
        var parts: [Part] = []
        var positions: [Int] = []
        var i = 0
        while i + delim.count <= body.count {
            if body[i] == delim[0] && Array(body[i..<(i + delim.count)]) == delim {
                positions.append(i)
                i += delim.count
            } else {
                i += 1
            }
        }
        for (k, start) in positions.enumerated() where k + 1 < positions.count {
            var s = start + delim.count
            if s + 1 < body.count, body[s] == 13, body[s + 1] == 10 { s += 2 }
            var e = positions[k + 1]
            if e >= 2, body[e - 2] == 13, body[e - 1] == 10 { e -= 2 }
            guard s <= e else { continue }
            let chunk = Array(body[s..<e])
            guard let sep = find([13, 10, 13, 10], in: chunk) else { continue }
            let head = String(decoding: chunk[0..<sep], as: UTF8.self)
            var name = ""
            var filename: String?
            for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition") {
                for attr in line.split(separator: ";").dropFirst() {
                    let kv = attr.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard kv.count == 2 else { continue }
                    let v = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    if kv[0].lowercased() == "name" { name = v }
                    if kv[0].lowercased() == "filename" { filename = v }
                }
            }
            parts.append(Part(name: name, filename: filename, data: Array(chunk[(sep + 4)...])))
        }
        return parts
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

/// A POST body read for TAP: its parameters, or the response that refuses it.
enum TAPPostBody {
    case parameters([(name: String, value: String)], [String: [UInt8]])
    case reply(Response)
}
