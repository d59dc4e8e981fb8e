import Foundation
import OAIPMH
import Hummingbird
import Logging
public import Publisher
import ServiceLifecycle
import RegistryStore
import TAPService
import VOResource

/// The publishing side of the server: accounts and tokens, the publishing rules, the login
/// throttle.
public struct ServerPublishing: Sendable {
    public let accounts: PublisherAccounts
    public let publisher: RecordPublisher
    public let throttle = LoginThrottle()

    init(configuration c: ServerConfiguration, store: RegistryStore, validator: SchemaValidator?) {
        accounts = PublisherAccounts(store: store, tokenLifetime: Int64(c.apiTokenLifetime))
        publisher = RecordPublisher(store: store, validator: validator)
    }
}

/// Who a request speaks for, decided once per request: internal when it arrived on the
/// internal listener or carries a valid bearer token.
struct RequestAudience: Sendable {
    var account: PublisherAccount?
    var internalListener: Bool
    var isInternal: Bool { internalListener || account != nil }
    var tap: TAPAudience { isInternal ? .internalClients : .publicClients }
}

extension RegistryServer {
    /// The bearer token of a request, if it sends one.
    static func bearerToken(_ request: Request) -> String? {
        guard let h = request.headers[.authorization] else { return nil }
        let parts = h.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// The account behind a request's bearer token (nil without a valid one).
    func tokenAccount(_ request: Request) async -> PublisherAccount? {
        guard let token = Self.bearerToken(request) else { return nil }
        let accounts = publishing.accounts
        let result: Result<PublisherAccount?, any Error> = await withCheckedContinuation { c in
            BlockingWorkers.shared.submit { c.resume(returning: Result { try accounts.account(forToken: token) }) }
        }
        switch result {
        case .success(let a): return a
        case .failure(let e):
            logger.error("token check failed", metadata: ["error": "\(e)"])
            return nil
        }
    }

    func audience(_ request: Request, internalListener: Bool) async -> RequestAudience {
        RequestAudience(account: await tokenAccount(request), internalListener: internalListener)
    }

    /// The application on the internal listener (`--internal-listen`), or nil when none is set:
    /// the same routes, with internal records visible.
    public func makeInternalApplication() -> (any Service)? {
        guard let listen = configuration.internalListen,
            let address = try? ServerConfiguration.parseListen(listen)
        else { return nil }
        return Application(
            router: makeRouter(internalListener: true),
            server: configuration.http.serverBuilder(gate: internalGate),
            configuration: .init(address: .hostname(address.0, port: address.1), serverName: "voreg"),
            onServerRunning: { [logger] channel in
                logger.info(
                    "listening (internal)", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger)
    }

    /// A JSON response (the one encoder of the API: sorted keys, slashes unescaped).
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? DiscoveryRoutes.encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct PublishErrorBody: Encodable {
        var status: Int
        var message: String
        var errors: [Issue]
        struct Issue: Encodable {
            var line: Int
            var message: String
        }
    }

    static func publishError(_ e: PublishError) -> Response {
        json(
            PublishErrorBody(
                status: e.status, message: e.message, errors: e.issues.map { .init(line: $0.line, message: $0.message) }),
            status: .init(code: e.status))
    }

    static func jsonMessage(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(PublishErrorBody(status: Int(status.code), message: message, errors: []), status: status)
    }

    struct LoginBody: Decodable {
        var name: String
        var password: String
    }

    /// `POST /api/login`, `POST /api/logout`, `GET|PUT|DELETE /api/records/{ivoid}`.
    func addPublishRoutes(to router: Router<BasicRequestContext>, internalListener: Bool) {
        let accounts = publishing.accounts
        let publisher = publishing.publisher
        let throttle = publishing.throttle
        let logger = self.logger
        router.post("/api/login") { request, context in
            let body = try await request.collectBody(limit: 64 * 1024)
            guard let login = try? JSONDecoder().decode(LoginBody.self, from: Data(body.readableBytesView)) else {
                return Self.jsonMessage(.badRequest, "send JSON {\"name\": ..., \"password\": ...}")
            }
            let key = "name:" + login.name.lowercased()
            let delay = await throttle.delay(for: key)
            if delay > .zero { try await Task.sleep(for: delay) }
            let result: Result<IssuedToken?, any Error> = await withCheckedContinuation { c in
                BlockingWorkers.shared.submit {
                    c.resume(returning: Result { try accounts.login(name: login.name, password: login.password) })
                }
            }
            switch result {
            case .success(let token?):
                await throttle.succeeded(key)
                logger.info("login", metadata: ["account": "\(login.name)"])
                return Self.json(token)
            case .success(nil):
                let n = await throttle.failed(key)
                logger.warning(
                    "login failed",
                    metadata: ["account": "\(login.name.prefix(64))", "consecutive_failures": .stringConvertible(n)])
                return Self.jsonMessage(.unauthorized, "wrong name or password")
            case .failure(let e):
                logger.error("login failed", metadata: ["error": "\(e)"])
                return Self.jsonMessage(.internalServerError, "the registry's store failed; please retry later")
            }
        }
        router.post("/api/logout") { request, _ in
            guard let token = Self.bearerToken(request) else {
                return Self.jsonMessage(.unauthorized, "send the token as Authorization: Bearer TOKEN")
            }
            let ok = await Self.blockingResult { try accounts.logout(token: token) }
            switch ok {
            case .success(true): return Self.json(["revoked": true])
            case .success(false): return Self.jsonMessage(.unauthorized, "the token is not valid")
            case .failure: return Self.jsonMessage(.internalServerError, "the registry's store failed; please retry later")
            }
        }
        addPublishStatusRoute(to: router, internalListener: internalListener)
        let prefix = "/api/records/"
        router.get("/api/records/**") { request, _ in
            let id = DiscoveryRoutes.identifier(request, prefix: prefix)
            let who = await self.audience(request, internalListener: internalListener)
            let r = await Self.blockingResult { try publisher.record(identifier: id, includeInternal: who.isInternal) }
            switch r {
            case .success(let rec?) where rec.status == .deleted:
                return Self.jsonMessage(.gone, "\(id) was deleted")
            case .success(let rec?):
                let headers: HTTPFields = [.contentType: "application/xml; charset=utf-8"]
                return Response(
                    status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: rec.xml ?? "")))
            case .success(nil): return Self.jsonMessage(.notFound, "no record \(id)")
            case .failure: return Self.jsonMessage(.internalServerError, "the registry's store failed; please retry later")
            }
        }
        router.put("/api/records/**") { request, _ in
            let id = DiscoveryRoutes.identifier(request, prefix: prefix)
            guard let account = await self.tokenAccount(request) else {
                return Self.jsonMessage(.unauthorized, "publishing needs a valid token (POST /api/login)")
            }
            let params = FormParameters.parse(request.uri.query ?? "")
            let visValue = params.last { $0.name == "visibility" }?.value ?? "public"
            guard let vis = Visibility(rawValue: visValue) else {
                return Self.jsonMessage(.badRequest, "visibility must be public or internal, not \(visValue)")
            }
            let body = try await request.collectBody(limit: RecordPublisher.maxBytes)
            let data = Data(body.readableBytesView)
            let r = await Self.blockingResult { () throws(PublishError) in
                try publisher.publish(data, visibility: vis, account: account, expectedIdentifier: id)
            }
            switch r {
            case .success(let outcome):
                logger.info(
                    "published",
                    metadata: ["account": "\(account.name)", "identifier": "\(id)", "outcome": "\(outcome.outcome)"])
                return Self.json(outcome, status: outcome.outcome == "stored" ? .ok : .ok)
            case .failure(let e as PublishError): return Self.publishError(e)
            case .failure(let e): return Self.jsonMessage(.internalServerError, "\(e)")
            }
        }
        router.delete("/api/records/**") { request, _ in
            let id = DiscoveryRoutes.identifier(request, prefix: prefix)
            guard let account = await self.tokenAccount(request) else {
                return Self.jsonMessage(.unauthorized, "deleting needs a valid token (POST /api/login)")
            }
            let r = await Self.blockingResult { () throws(PublishError) in
                try publisher.delete(identifier: id, account: account)
            }
            switch r {
            case .success(let outcome):
                logger.info("deleted", metadata: ["account": "\(account.name)", "identifier": "\(id)"])
                return Self.json(outcome)
            case .failure(let e as PublishError): return Self.publishError(e)
            case .failure(let e): return Self.jsonMessage(.internalServerError, "\(e)")
            }
        }
    }

    static func blockingResult<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
        await withCheckedContinuation { c in
            BlockingWorkers.shared.submit { c.resume(returning: Result { try body() }) }
        }
    }
}

/// Keeps records built from VOSI documents fresh: every `vosiInterval` it re-reads each
/// source, republishes the record (the datestamp moves only when capabilities or tables
/// changed) and records the service's availability (`/api/publish/status`, `/metrics`).
struct VOSIRefresher: Service {
    let server: RegistryServer

    func run() async throws {
        let interval = Duration.seconds(server.configuration.vosiInterval)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await refreshOnce()
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }

    func refreshOnce() async {
        let sources = VOSISources(store: server.store)
        guard let list = try? sources.list(), !list.isEmpty else { return }
        for (ivoid, result) in await sources.refresh(publisher: server.publishing.publisher) {
            switch result {
            case .success(let o):
                server.logger.info("VOSI record refreshed", metadata: ["identifier": "\(ivoid)", "outcome": "\(o.outcome)"])
            case .failure(let e):
                server.logger.warning("VOSI service unavailable", metadata: ["identifier": "\(ivoid)", "error": "\(e.description)"])
            }
        }
    }
}

extension RegistryServer {
    /// `GET /api/publish/status`: the VOSI-built records, their services' availability.
    func addPublishStatusRoute(to router: Router<BasicRequestContext>, internalListener: Bool) {
        router.get("/api/publish/status") { request, _ in
            let who = await self.audience(request, internalListener: internalListener)
            let store = self.store
            let r = await Self.blockingResult { try VOSISources(store: store).list() }
            switch r {
            case .success(let list):
                let visible = list.filter { who.isInternal || $0.source.visibility == "public" }
                return Self.json(["vosiServices": visible])
            case .failure: return Self.jsonMessage(.internalServerError, "the registry's store failed; please retry later")
            }
        }
    }

    /// Per-service gauges for the VOSI-built public records.
    func refreshVOSIMetrics() {
        guard let list = try? VOSISources(store: store).list() else { return }
        for e in list where e.source.visibility == "public" {
            let labels = [("ivoid", e.source.ivoid)]
            metrics.registry.makeGauge(
                name: "voreg_vosi_service_up", labels: labels,
                help: "1 when the last read of the service's VOSI documents succeeded.")
                .set(Double(e.available == true ? 1 : 0))
            metrics.registry.makeGauge(
                name: "voreg_vosi_last_check_timestamp_seconds", labels: labels,
                help: "When the service's VOSI documents were last read (seconds since 1970).")
                .set(Double(e.lastCheck ?? 0))
        }
    }
}
