import Foundation
import GRDB
import Harvester
import Hummingbird
import HummingbirdTesting
import Logging
import OAIPMH
import RegistryStore
import TestSupport
import VOResource

/// An OAI-PMH peer for the tests: real HTTP on 127.0.0.1 (Hummingbird, live), serving
/// records in pages by offset tokens, with deleted headers, `from` filtering, and faults.
final class FakePeer: @unchecked Sendable {
    struct Item {
        var identifier: String
        var xml: String?  // nil: a deleted header
        var datestamp: Int64
    }

    enum Fault: Sendable {
        /// The first `times` list requests answer `status` (with Retry-After when given).
        case status(Int, times: Int, retryAfter: String?)
        /// Every request for page `page` (1-based) or later answers 500.
        case failFrom(page: Int)
        /// Page 2 carries page 1's token again.
        case repeatToken
        /// Every page has a new token; the list never ends.
        case endless
        /// Page `page` is cut in the middle.
        case malformed(page: Int)
        /// Page `page` is an OAI-PMH error.
        case oaiError(page: Int, code: String)
        /// Page `page` is answered after `seconds`.
        case slow(page: Int, seconds: Double)
        /// Page `page` has `bytes` of padding in a comment.
        case padded(page: Int, bytes: Int)
        /// Every request is redirected to itself (a loop).
        case redirectLoop
    }

    private let lock = NSLock()
    private var items: [Item] = []
    var pageSize = 10
    var fault: Fault?
    var gzip = false
    /// `/oai` redirects once to `/real`.
    var redirectOnce = false
    var registryIvoid = "ivo://peer.test/registry"
    var managedAuthorities: [String] = []
    private(set) var requests: [[String: String]] = []
    private var listRequests = 0

    func set(_ items: [Item]) { lock.withLock { self.items = items } }
    func update(_ body: (inout [Item]) -> Void) { lock.withLock { body(&items) } }
    var requestLog: [[String: String]] { lock.withLock { requests } }

    /// Serves records from `samples` and `records` (xml strings).
    static func item(_ xml: String, datestamp: Int64 = 1_700_000_000) -> Item {
        let doc = try! RecordReader.read(data: Data(xml.utf8))
        guard case .resource(let r) = doc.entries.first! else { fatalError("not a record") }
        return Item(identifier: r.resource.identifier, xml: r.xml, datestamp: datestamp)
    }

    static func deleted(_ id: String, datestamp: Int64 = 1_700_000_000) -> Item {
        Item(identifier: id, xml: nil, datestamp: datestamp)
    }

    // MARK: HTTP

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            try await self.handle(request)
        }
        router.get("/oai", use: handler)
        router.get("/real", use: handler)
        return router
    }

    /// Runs `body` with the peer listening; `body` gets the base URL.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/oai")
        }
    }

    private func handle(_ request: Request) async throws -> Response {
        var params: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            params[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        lock.withLock { requests.append(params) }
        if case .redirectLoop = fault {
            return Response(status: .found, headers: [.location: "/oai?\(request.uri.query ?? "")"])
        }
        if redirectOnce && request.uri.path == "/oai" {
            return Response(status: .found, headers: [.location: "/real?\(request.uri.query ?? "")"])
        }
        if params["verb"] == "Identify" { return xml(identify()) }
        let n = lock.withLock { () -> Int in
            listRequests += 1
            return listRequests
        }
        let offset = Int(params["resumptionToken"]?.dropFirst(1) ?? "0") ?? 0
        let page = offset / pageSize + 1
        switch fault {
        case .status(let code, let times, let retryAfter) where n <= times:
            var h: HTTPFields = [:]
            if let retryAfter { h[.retryAfter] = retryAfter }
            return Response(status: .init(code: code), headers: h, body: ResponseBody(byteBuffer: ByteBuffer(string: "busy")))
        case .failFrom(let p) where page >= p:
            return Response(status: .internalServerError)
        case .slow(let p, let seconds) where page == p:
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
        default: break
        }
        if case .oaiError(let p, let code) = fault, page == p {
            return xml(envelope("<error code=\"\(code)\">test error</error>"))
        }
        var body = listRecords(params: params, offset: offset)
        if case .malformed(let p) = fault, page == p { body = String(body.prefix(body.count / 2)) }
        if case .padded(let p, let bytes) = fault, page == p {
            body = body.replacingOccurrences(
                of: "<ListRecords>", with: "<ListRecords><!--\(String(repeating: "x", count: bytes))-->")
        }
        return xml(body)
    }

    private func xml(_ s: String) -> Response {
        var headers: HTTPFields = [.contentType: "text/xml; charset=utf-8"]
        var data = Data(s.utf8)
        if gzip {
            data = Self.gzipped(data)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func gzipped(_ data: Data) -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-c"]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try! p.run()
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return out
    }

    private func envelope(_ inner: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
        <responseDate>2026-01-01T00:00:00Z</responseDate><request>http://peer.test/oai</request>
        \(inner)
        </OAI-PMH>
        """
    }

    private func identify() -> String {
        let managed = managedAuthorities.map { "<managedAuthority>\($0)</managedAuthority>" }.joined()
        return envelope(
            """
            <Identify><repositoryName>Fake peer</repositoryName><baseURL>http://peer.test/oai</baseURL>
            <protocolVersion>2.0</protocolVersion><adminEmail>a@peer.test</adminEmail>
            <earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp><deletedRecord>transient</deletedRecord>
            <granularity>YYYY-MM-DDThh:mm:ssZ</granularity>
            <description><ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0"
              xmlns:vg="http://www.ivoa.net/xml/VORegistry/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
              xsi:type="vg:Registry" status="active" created="2020-01-01T00:00:00Z" updated="2020-01-01T00:00:00Z">
              <title>Fake peer</title><identifier>\(registryIvoid)</identifier>
              <curation><publisher>Test</publisher><contact><name>T</name></contact></curation>
              <content><subject>x</subject><description>x</description><referenceURL>http://peer.test/</referenceURL></content>
              <full>false</full>\(managed)
            </ri:Resource></description>
            </Identify>
            """)
    }

    private func listRecords(params: [String: String], offset: Int) -> String {
        let from = params["from"].flatMap(OAIDate.init)?.lowerBound ?? Int64.min
        let all = lock.withLock { items }.filter { $0.datestamp >= from }
        if case .endless = fault {
            return envelope(
                "<ListRecords><resumptionToken>o\(offset + pageSize)</resumptionToken></ListRecords>")
        }
        if all.isEmpty { return envelope("<error code=\"noRecordsMatch\">none</error>") }
        let slice = all.dropFirst(offset).prefix(pageSize)
        var out = "<ListRecords>"
        for i in slice {
            let stamp = OAIDate.format(i.datestamp)
            if let x = i.xml {
                let body = x.hasPrefix("<?xml") ? String(x[x.range(of: "?>")!.upperBound...]) : x
                out += "<record><header><identifier>\(XMLEscaping.escape(i.identifier))</identifier><datestamp>\(stamp)</datestamp></header><metadata>\(body)</metadata></record>\n"
            } else {
                out += "<record><header status=\"deleted\"><identifier>\(XMLEscaping.escape(i.identifier))</identifier><datestamp>\(stamp)</datestamp></header></record>\n"
            }
        }
        var next = offset + pageSize
        if case .repeatToken = fault, offset > 0 { next = offset }
        if next < all.count {
            out += "<resumptionToken completeListSize=\"\(all.count)\">o\(next)</resumptionToken>"
        } else if offset > 0 {
            out += "<resumptionToken completeListSize=\"\(all.count)\"/>"
        }
        return envelope(out + "</ListRecords>")
    }
}

/// A minimal valid VOResource record.
func record(_ id: String, title: String = "A record", type: String = "vs:CatalogService") -> String {
    """
    <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:vg="http://www.ivoa.net/xml/VORegistry/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="\(type)" status="active" created="2020-01-01T00:00:00Z" updated="2020-01-01T00:00:00Z">
      <title>\(title)</title>
      <identifier>\(id)</identifier>
      <curation><publisher>Test</publisher><contact><name>T</name></contact></curation>
      <content><subject>stars</subject><description>\(title) described.</description><referenceURL>http://x.test/</referenceURL></content>
    </ri:Resource>
    """
}

/// A temp store and a harvester with fast test settings.
struct Harness {
    let store: RegistryStore
    let harvester: PeerHarvester
    let directory: String

    init(managedAuthorities: [String] = [], edit: (inout HarvestConfiguration) -> Void = { _ in }) throws {
        directory = NSTemporaryDirectory() + "voreg-harvest-" + UUID().uuidString
        store = try RegistryStore(path: directory + "/store.sqlite")
        var c = HarvestConfiguration()
        c.connectTimeout = 2
        c.readTimeout = 5
        c.retries = 2
        c.backoff = 0.05
        c.maxBackoff = 0.2
        edit(&c)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        harvester = PeerHarvester(store: store, configuration: c, managedAuthorities: managedAuthorities, logger: logger)
    }

    func record(_ id: String) throws -> StoredRecord? { try store.record(identifier: id) }

    func count(_ sql: String) throws -> Int {
        try store.pool.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
