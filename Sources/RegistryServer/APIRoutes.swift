import Discovery
import OAIPMH
import Foundation
import Hummingbird
import Logging

/// The discovery routes: the JSON API under `/api` and the web pages (`/`, `/resources/…`,
/// `/status`). Registered from `makeRouter()` with `addDiscoveryRoutes(to:)`.
extension RegistryServer {
    /// Adds `/api/search`, `/api/resources/{ivoid}`, `/api/status`, `/api/openapi.json` and
    /// the HTML pages. Public callers only: internal records are never shown or counted here.
    public func addDiscoveryRoutes(to router: Router<BasicRequestContext>, internalListener: Bool = false) {
        let publicRoutes: DiscoveryRoutes
        do {
            publicRoutes = DiscoveryRoutes(search: try RegistrySearch(store: store), logger: logger)
        } catch {
            logger.error("discovery unavailable", metadata: ["error": "\(error)"])
            return
        }
        let internalRoutes = {
            var r = publicRoutes
            r.includeInternal = true
            return r
        }()
        // Internal records for requests on the internal listener or with a valid token.
        @Sendable func select(_ request: Request) async -> DiscoveryRoutes {
            await self.audience(request, internalListener: internalListener).isInternal ? internalRoutes : publicRoutes
        }
        let api = router.group("api")
        api.get("search") { request, _ in await select(request).searchJSON(request) }
        api.get("resources/**") { request, _ in await select(request).resourceJSON(request, prefix: "/api/resources/") }
        api.get("status") { request, _ in await select(request).statusJSON() }
        api.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        router.get("/") { request, _ in await select(request).searchPage(request) }
        router.get("resources/**") { request, _ in await select(request).resourcePage(request, prefix: "/resources/") }
        router.get("status") { request, _ in await select(request).statusPage() }
    }
}

/// The handlers behind the discovery routes: blocking store work runs on `BlockingWorkers`.
struct DiscoveryRoutes: Sendable {
    let search: RegistrySearch
    let logger: Logger
    /// True for requests on the internal listener or with a valid bearer token.
    var includeInternal = false

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Runs blocking work off the cooperative pool.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
        await withCheckedContinuation { c in
            BlockingWorkers.shared.submit { c.resume(returning: Result { try body() }) }
        }
    }

    static func parameters(_ request: Request) -> [(name: String, value: String)] {
        FormParameters.parse(request.uri.query ?? "")
    }

    /// The identifier after `prefix` in the path, percent-decoded.
    static func identifier(_ request: Request, prefix: String) -> String {
        let path = request.uri.path
        let raw = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : ""
        return raw.removingPercentEncoding ?? raw
    }

    // MARK: JSON

    func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        RegistryServer.json(value, status: status)
    }

    struct ErrorBody: Encodable {
        var status: Int
        var message: String
    }

    func jsonError(_ error: any Error) -> Response {
        switch error {
        case let e as DiscoveryError:
            let status: HTTPResponse.Status = if case .notFound = e { .notFound } else { .badRequest }
            return json(ErrorBody(status: Int(status.code), message: e.message), status: status)
        default:
            logger.error("discovery request failed", metadata: ["error": "\(error)"])
            return json(
                ErrorBody(status: 500, message: "The registry's store failed; please retry later."),
                status: .internalServerError)
        }
    }

    func searchJSON(_ request: Request) async -> Response {
        let params = Self.parameters(request)
        let search = self.search, withInternal = includeInternal
        let result = await blocking { try search.search(SearchRequest(parameters: params), includeInternal: withInternal) }
        switch result {
        case .success(let r): return json(r)
        case .failure(let e): return jsonError(e)
        }
    }

    func resourceJSON(_ request: Request, prefix: String) async -> Response {
        let id = Self.identifier(request, prefix: prefix)
        let wantsXML = Self.parameters(request).contains { $0.name == "format" && $0.value.lowercased() == "xml" }
        let search = self.search, withInternal = includeInternal
        if wantsXML {
            switch await blocking({ try search.resourceXML(id, includeInternal: withInternal) }) {
            case .success(let xml):
                return Response(
                    status: .ok, headers: [.contentType: "application/xml; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
            case .failure(let e): return jsonError(e)
            }
        }
        switch await blocking({ try search.resource(id, includeInternal: withInternal) }) {
        case .success(let d): return json(d)
        case .failure(let e): return jsonError(e)
        }
    }

    func statusJSON() async -> Response {
        let search = self.search, withInternal = includeInternal
        switch await blocking({ try search.status(includeInternal: withInternal) }) {
        case .success(let s): return json(s)
        case .failure(let e): return jsonError(e)
        }
    }
}
