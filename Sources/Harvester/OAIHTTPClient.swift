import AsyncHTTPClient
import Foundation
import Logging

/// Fetches OAI-PMH responses: GET with `Accept-Encoding: gzip`, bounded redirects, connect and
/// read timeouts, a size limit, and retries with exponential backoff on network errors and
/// 5xx/429 answers (honouring Retry-After).
public final class OAIHTTPClient: Sendable {
    let http: HTTPClient
    let configuration: HarvestConfiguration
    let logger: Logger

    /// - Parameters:
    ///   - configuration: timeouts, retries, limits.
    ///   - logger: where retries are logged.
    public init(configuration: HarvestConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        var c = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: configuration.maxRedirects, allowCycles: false),
            timeout: .init(
                connect: .milliseconds(Int64(configuration.connectTimeout * 1000)),
                read: .milliseconds(Int64(configuration.readTimeout * 1000))),
            decompression: .enabled(limit: .size(configuration.maxPageBytes)))
        c.connectionPool = .init(idleTimeout: .seconds(60))
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: c)
    }

    private let closed = ClosedFlag()

    /// Closes the connections. Call when done (a client dropped without it is closed in the
    /// background).
    public func shutdown() async {
        guard closed.close() else { return }
        try? await http.shutdown()
    }

    deinit {
        if closed.close() { http.shutdown(queue: .global()) { _ in } }
    }

    /// One response body, with retries.
    /// - Parameters:
    ///   - url: the request URL.
    ///   - deadline: the request fails rather than run past this instant.
    /// - Returns: the body (gzip decoded).
    /// - Throws: ``HarvestError``.
    public func fetch(_ url: String, deadline: ContinuousClock.Instant) async throws -> Data {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { throw HarvestError.timedOut(seconds: configuration.harvestTimeout) }
            let failure: HarvestError
            var retryAfter: Double?
            do {
                return try await once(url, remaining: remaining)
            } catch let e as RetryableFailure {
                failure = e.error
                retryAfter = e.retryAfter
            } catch let e as HarvestError {
                throw e
            } catch is CancellationError {
                throw HarvestError.cancelled
            } catch {
                if Task.isCancelled { throw HarvestError.cancelled }
                if let e = error as? HTTPClientError {
                    if e == .redirectLimitReached || e == .redirectCycleDetected {
                        throw HarvestError.http(status: 310, url: url + " (\(e))")
                    }
                    if e == .cancelled { throw HarvestError.cancelled }
                }
                let text = String(describing: error)
                if text.contains("TooManyBytes") || text.contains("DecompressionError") || text == "limit" {
                    throw HarvestError.pageTooLarge(limit: configuration.maxPageBytes, url: url)
                }
                failure = .network("\(error)", url: url)
            }
            guard attempt < configuration.retries else { throw failure }
            var delay = min(configuration.backoff * pow(2, Double(attempt)), configuration.maxBackoff)
            if let retryAfter { delay = min(max(retryAfter, 0), configuration.maxBackoff) }
            delay *= Double.random(in: 0.9...1.1)
            attempt += 1
            logger.warning(
                "retrying request",
                metadata: [
                    "url": "\(url)", "error": "\(failure)", "attempt": "\(attempt)",
                    "delay_s": "\((delay * 100).rounded() / 100)",
                ])
            do {
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            } catch {
                throw HarvestError.cancelled
            }
        }
    }

    struct RetryableFailure: Error {
        var error: HarvestError
        var retryAfter: Double?
    }

    private func once(_ url: String, remaining: Duration) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: "VORegistry-harvester/1.0")
        let perRequest = min(Duration.milliseconds(Int64(configuration.requestTimeout * 1000)), remaining)
        let ms = perRequest.components.seconds * 1000 + perRequest.components.attoseconds / 1_000_000_000_000_000
        let response = try await http.execute(request, timeout: .milliseconds(max(ms, 1)))
        let status = Int(response.status.code)
        if status == 200 {
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init),
                length > configuration.maxPageBytes
            {
                throw HarvestError.pageTooLarge(limit: configuration.maxPageBytes, url: url)
            }
            let body = try await response.body.collect(upTo: configuration.maxPageBytes)
            return Data(body.readableBytesView)
        }
        _ = try? await response.body.collect(upTo: 1 << 20)
        if status >= 500 || status == 429 || status == 408 {
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            throw RetryableFailure(error: .http(status: status, url: url), retryAfter: retryAfter)
        }
        throw HarvestError.http(status: status, url: url)
    }
}

/// Set once, by whoever closes the client first.
final class ClosedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = false

    /// - Returns: true for the first caller.
    func close() -> Bool {
        lock.withLock {
            defer { closed = true }
            return !closed
        }
    }
}
