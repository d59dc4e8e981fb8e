import Foundation
import GRDB
import Hummingbird
public import Logging
public import OAIPMH
public import RegistryStore
import ServiceLifecycle
import TAPService
import VOResource

/// The VORegistry HTTP server: OAI-PMH 2.0 at `/oai` (GET and POST) and Prometheus metrics at
/// `/metrics`, over one store.
public final class RegistryServer: Sendable {
    public let configuration: ServerConfiguration
    public let store: RegistryStore
    public let provider: OAIProvider
    public let metrics: ServerMetrics
    /// The registry record as stored (Identify's description).
    public let registryRecordXML: String
    /// The RegTAP TAP service at `/tap`.
    public let tap: TAPService
    /// When this server started (VOSI availability's upSince).
    let started = Date()
    /// Harvesting of peer registries (the scheduler runs when `harvest.enabled`).
    public let harvest: ServerHarvest
    /// Accounts, tokens and the publishing rules (`/api/login`, `/api/records/…`).
    public let publishing: ServerPublishing
    let logger: Logger
    /// Open connections of the public and the internal listener (`HTTPLimits.maxConnections` each).
    let publicGate: ConnectionGate
    let internalGate: ConnectionGate

    /// Bytes collected from the provider before they are handed to the client.
    static let chunkSize = 64 * 1024
    /// Largest POST body accepted.
    static let maxPostBytes = 1 << 20

    /// Opens the store, imports the sample records into an empty store, publishes this
    /// registry's own records and sets up the OAI-PMH provider. Blocking: call it before
    /// the server runs (or off the cooperative pool).
    public init(configuration c: ServerConfiguration, logger: Logger) throws {
        configuration = c
        self.logger = logger
        publicGate = ConnectionGate(limit: c.http.maxConnections)
        internalGate = ConnectionGate(limit: c.http.maxConnections)
        store = try RegistryStore(path: c.database)
        // Records are validated when the schemas are at hand (`make schemas`); invalid ones are
        // kept for RegTAP but never served over OAI-PMH.
        let validator = SchemaValidator.locateSchemasDirectory().flatMap { try? SchemaValidator(schemasDirectory: $0) }
        if validator == nil { logger.warning("no Schemas directory: records are stored unvalidated") }
        if let samples = c.sampleRecords, try Self.recordCount(store) == 0 {
            try Self.importSamples(from: samples, into: store, logger: logger, validator: validator)
        }
        let published = try RegistryIdentity(configuration: c).publish(to: store)
        for (id, outcome) in published.outcomes {
            logger.info("registry record", metadata: ["identifier": "\(id)", "outcome": "\(outcome)"])
        }
        registryRecordXML = published.registryXML
        provider = OAIProvider(
            configuration: OAIConfiguration(
                baseURL: c.oaiURL, repositoryName: c.title, adminEmails: [c.contactEmail],
                managedAuthorities: c.managedAuthorities, registryRecordXML: published.registryXML,
                pageSize: c.pageSize, tokenLifetime: Int64(c.tokenLifetime)),
            store: store)
        let metrics = ServerMetrics()
        self.metrics = metrics
        let jobDirectory = ((c.database as NSString).deletingLastPathComponent.isEmpty
            ? "." : (c.database as NSString).deletingLastPathComponent) + "/tap-jobs"
        tap = try TAPService(
            store: store, path: c.database,
            configuration: {
                var t = TAPConfiguration(baseURL: c.baseURL + "/tap", jobDirectory: jobDirectory)
                t.syncTimeLimit = c.tapSyncTimeLimit
                t.requestsInFlight = { metrics.inFlight.current }
                return t
            }())
        harvest = ServerHarvest(configuration: c, store: store, logger: logger)
        publishing = ServerPublishing(configuration: c, store: store, validator: validator)
    }

    /// The number of rows in `records` (any status or visibility).
    static func recordCount(_ store: RegistryStore) throws -> Int {
        try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM records") ?? 0 }
    }

    /// Records per (status, visibility).
    func recordCounts() throws -> [RecordCount] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT status, visibility, count(*) AS n FROM records GROUP BY 1, 2").map {
                RecordCount(status: $0["status"], visibility: $0["visibility"], count: $0["n"])
            }
        }
    }

    /// Imports a sample directory: `internal-*.xml` with internal visibility, the rest public,
    /// in one transaction. (It runs when the store is empty: imported in two parts, a crash
    /// between them would leave a store that is no longer empty and lacks the second part.)
    static func importSamples(
        from dir: String, into store: RegistryStore, logger: Logger, validator: SchemaValidator? = nil
    ) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            logger.info("no sample records", metadata: ["directory": "\(dir)"])
            return
        }
        let files = names.filter { $0.hasSuffix(".xml") }.sorted().map { dir + "/" + $0 }
        guard !files.isEmpty else { return }
        let summary = try RecordImporter(
            store: store, origin: .local, batchSize: .max, validator: validator,
            fileVisibility: { ($0 as NSString).lastPathComponent.hasPrefix("internal-") ? .internal : .public }
        ).importPaths(files)
        let internalCount = files.filter { ($0 as NSString).lastPathComponent.hasPrefix("internal-") }.count
        logger.info(
            "imported sample records",
            metadata: [
                "directory": "\(dir)", "internal_files": "\(internalCount)", "summary": "\(summary.line)",
            ])
        for r in summary.rejections {
            logger.warning("sample record rejected", metadata: ["file": "\(r.file)", "reason": "\(r.reason)"])
        }
    }

    // MARK: HTTP

    /// The router: `/oai` (GET, POST) and `/metrics`, behind the logging and metrics middleware.
    /// With `internalListener`, the router of the internal listener: TAP, search and the web
    /// pages see internal records (OAI-PMH stays public-only: it is the harvesting interface).
    public func makeRouter(internalListener: Bool = false) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ObservabilityMiddleware(metrics: metrics, logger: logger))
        router.add(middleware: ProtocolErrorMiddleware())
        router.get("/oai") { request, _ in
            try await self.oai(FormParameters.parse(request.uri.query ?? ""))
        }
        router.post("/oai") { request, _ in
            if let type = request.headers[.contentType],
                !type.lowercased().hasPrefix("application/x-www-form-urlencoded")
            {
                return Self.plain(
                    .unsupportedMediaType, "OAI-PMH POST requests must be application/x-www-form-urlencoded\n")
            }
            let body = try await request.collectBody(limit: Self.maxPostBytes)
            return try await self.oai(FormParameters.parse(String(buffer: body)))
        }
        router.get("/metrics") { _, _ in try await self.metricsResponse() }
        addTAPRoutes(to: router, internalListener: internalListener)
        addDiscoveryRoutes(to: router, internalListener: internalListener)
        addHarvestRoutes(to: router)
        addPublishRoutes(to: router, internalListener: internalListener)
        return router
    }

    /// The application on the configured address.
    public func makeApplication() -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            server: configuration.http.serverBuilder(gate: publicGate),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "voreg"),
            onServerRunning: { [logger, configuration] channel in
                logger.info(
                    "listening",
                    metadata: [
                        "address": "\(channel.localAddress?.description ?? "?")",
                        "oai": "\(configuration.oaiURL)",
                    ])
            },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting and finishes in-flight responses.
    public func run() async throws {
        var services: [any Service] = [makeApplication()]
        if let internalApp = makeInternalApplication() { services.append(internalApp) }
        services.append(VOSIRefresher(server: self))
        try await runServices([DrainingHTTPService(apps: services, inFlight: metrics.inFlight, logger: logger)])
        logger.info("stopped")
    }

    /// Streams the provider's answer. The first 64 KB are collected before the status is sent,
    /// so a store failure in a small response becomes a 500; one in the middle of a large
    /// response aborts the connection (the client sees a truncated body, never a bad page).
    func oai(_ parameters: [(name: String, value: String)]) async throws -> Response {
        let provider = self.provider
        return await stream(headers: Self.xmlHeaders, what: "OAI-PMH response") { sink in
            try provider.respond(to: parameters, sink: sink)
        } failed: { error in
            self.logger.error("OAI-PMH request failed", metadata: ["error": "\(error)"])
            return Self.plain(.internalServerError, "The registry's store failed; please retry later.\n")
        }
    }

    /// Streams what `produce` writes (run on a blocking worker) in 64 KB chunks. The first
    /// chunk is collected before the status is sent, so a failure before any output becomes
    /// the response `failed` makes; a failure later aborts the connection (the client sees a
    /// truncated body, never a wrong one).
    func stream(
        headers: HTTPFields, what: String, _ produce: @escaping @Sendable (_ sink: @escaping (String) -> Void) throws -> Void,
        failed: (any Error) -> Response
    ) async -> Response {
        let pipe = ChunkPipe()
        BlockingWorkers.shared.submit {
            var buffer = ByteBufferAllocator().buffer(capacity: Self.chunkSize + 4096)
            do {
                try produce { text in
                    buffer.writeString(text)
                    if buffer.readableBytes >= Self.chunkSize {
                        pipe.push(buffer)
                        buffer = ByteBufferAllocator().buffer(capacity: Self.chunkSize + 4096)
                    }
                }
                if buffer.readableBytes > 0 { pipe.push(buffer) }
                pipe.finish(nil)
            } catch {
                pipe.finish(error)
            }
        }
        switch await pipe.next() {
        case .failed(let error):
            pipe.close()
            return failed(error)
        case .end:
            return Response(status: .ok, headers: headers, body: ResponseBody())
        case .chunk(let chunk):
            let logger = self.logger
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    defer { pipe.close() }
                    try await writer.write(chunk)
                    while true {
                        switch await pipe.next() {
                        case .chunk(let c): try await writer.write(c)
                        case .end:
                            try await writer.finish(nil)
                            return
                        case .failed(let error):
                            logger.error("\(what) aborted", metadata: ["error": "\(error)"])
                            throw error
                        }
                    }
                })
        }
    }

    static let xmlHeaders: HTTPFields = [.contentType: "text/xml; charset=utf-8"]

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The Prometheus exposition, with the record gauges refreshed.
    func metricsResponse() async throws -> Response {
        let counts: Result<[RecordCount], any Error> = await withCheckedContinuation { c in
            BlockingWorkers.shared.submit { c.resume(returning: Result { try self.recordCounts() }) }
        }
        switch counts {
        case .success(let counts): metrics.setRecordCounts(counts)
        case .failure(let error): logger.error("record counts failed", metadata: ["error": "\(error)"])
        }
        await refreshHarvestMetrics()
        refreshVOSIMetrics()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
    }
}

/// Counts and logs every request: route, method, status, duration (to the last byte sent).
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let logger: Logger

    static func route(_ path: String) -> String {
        if ["/oai", "/metrics", "/tap/sync"].contains(path) { return path }
        if path.hasPrefix("/tap/async") { return "/tap/async" }
        return path.hasPrefix("/tap") ? "/tap" : "other"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let route = Self.route(request.uri.path)
        let method = request.method.rawValue
        let path = request.uri.path
        let query = String((request.uri.query ?? "").prefix(300))
        let metrics = self.metrics
        let logger = self.logger
        metrics.inFlight.begin()
        @Sendable func done(_ status: Int, aborted: Bool) {
            metrics.inFlight.end()
            let elapsed = ContinuousClock.now - start
            metrics.recordRequest(route: route, method: method, status: status, duration: elapsed)
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            var meta: Logger.Metadata = [
                "method": "\(method)", "path": "\(path)", "status": .stringConvertible(status),
                "duration_ms": .stringConvertible((ms * 1000).rounded() / 1000),
            ]
            if !query.isEmpty { meta["query"] = "\(query)" }
            if aborted { meta["aborted"] = .stringConvertible(true) }
            logger.info("request", metadata: meta)
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            done((error as? any HTTPResponseError)?.status.code ?? 500, aborted: false)
            throw error
        }
        let status = response.status.code
        var out = response
        let body = response.body
        out.body = ResponseBody(contentLength: body.contentLength) { writer in
            do {
                try await body.write(writer)
                done(status, aborted: false)
            } catch {
                done(status, aborted: true)
                throw error
            }
        }
        return out
    }
}
