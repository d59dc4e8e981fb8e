import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Limits of the HTTP layer, shared by the public and the internal listener.
public struct HTTPLimits: Sendable, Equatable {
    /// Seconds a connection may stay without a complete request part: a client that sends its
    /// headers byte by byte, or stops in the middle of a body, is closed after this long
    /// (Hummingbird's idle timeout counts decoded request parts, not bytes).
    public var idleTimeout: Double = 30
    /// Open connections per listener; beyond it a new connection gets 503 and is closed.
    public var maxConnections: Int = 1024

    public init() {}
}

/// Counts the open connections of one listener and admits at most `limit`.
final class ConnectionGate: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var open = 0

    init(limit: Int) { self.limit = limit }

    /// Takes a slot; false when the listener is full (nothing taken).
    func enter() -> Bool {
        lock.withLock {
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    func leave() { lock.withLock { open -= 1 } }
}

/// First handler after HTTP decoding on every connection: admits it through the gate, or
/// answers its first request with 503 (Retry-After) and closes it. A refused connection that
/// sends nothing is closed after a second, so refused clients cannot hold descriptors.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    static let refusalGrace = TimeAmount.seconds(1)

    let gate: ConnectionGate
    private var admitted: Bool?
    private var answered = false

    init(gate: ConnectionGate) { self.gate = gate }

    func handlerAdded(context: ChannelHandlerContext) {
        let ok = gate.enter()
        admitted = ok
        if !ok {
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.refusalGrace) {
                context.close(promise: nil)
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if admitted == true { gate.leave() }
        admitted = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted == false else {
            context.fireChannelRead(data)
            return
        }
        guard case .head = unwrapInboundIn(data), !answered else { return }
        answered = true
        let text = "The registry has too many open connections (\(gate.limit)); please retry shortly.\n"
        var head = HTTPResponse(status: .serviceUnavailable)
        head.headerFields[.contentType] = "text/plain; charset=utf-8"
        head.headerFields[.contentLength] = String(text.utf8.count)
        head.headerFields[.retryAfter] = "5"
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(string: text))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

/// Ends connections whose response said `Connection: close` while the request body was still
/// arriving (a 413): the rest of the body is read and dropped for at most `linger`, so the
/// client can still read the answer, and the connection is then closed instead of being
/// drained to the end of a body of any size.
final class LingeringCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let linger = TimeAmount.seconds(2)

    private var readingBody = false
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: readingBody = true
        case .end: readingBody = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closing = readingBody && head.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .end where closing:
            closing = false
            context.writeAndFlush(data, promise: promise)
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.linger) { context.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }
}

/// Gives Hummingbird's answer to a request that could not be parsed as HTTP/1.1 (a bare
/// `400` with an empty body, written when the decoder fails) a line of text saying so. Only
/// that answer is touched: every route's own 400 has a body.
final class DecoderErrorMessageHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let message = ByteBuffer(
        string: "The request could not be read as HTTP/1.1 (malformed request line, header or body framing).\n")
    private var rewriting = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status == .badRequest && head.headerFields[.contentLength] == "0":
            rewriting = true
            head.headerFields[.contentLength] = String(Self.message.readableBytes)
            head.headerFields[.contentType] = "text/plain; charset=utf-8"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where rewriting:
            rewriting = false
            context.write(wrapOutboundOut(.body(Self.message)), promise: nil)
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}

extension HTTPLimits {
    /// The HTTP/1.1 server with these limits, counting connections with `gate`.
    func serverBuilder(gate: ConnectionGate) -> HTTPServerBuilder {
        .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    ConnectionLimitHandler(gate: gate), LingeringCloseHandler(), DecoderErrorMessageHandler(),
                ],
                idleTimeout: .milliseconds(Int64(idleTimeout * 1000))))
    }
}

/// Errors that escape a route become answers in the form of the protocol the path belongs
/// to: TAP error VOTables under /tap, JSON under /api, plain text elsewhere (OAI-PMH has no
/// error code for a body that is too large or a path that does not exist). Without it
/// Hummingbird answers 404, 405 and 413 with an empty body.
struct ProtocolErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as BodyTooLarge {
            return Self.answer(
                request.uri.path, status: .contentTooLarge,
                message: "The request body is larger than the \(error.limit) bytes this endpoint accepts.",
                close: true)
        } catch let error as BodyUnreadable {
            return Self.answer(
                request.uri.path, status: .badRequest,
                message: "The request body could not be read: \(error.reason).", close: true)
        } catch let error as any HTTPResponseError {
            let status = error.status
            let message: String =
                if let text = (error as? HTTPError)?.body, !text.isEmpty {
                    text
                } else {
                    switch status {
                    case .notFound: "There is nothing at \(request.uri.path.prefix(200))."
                    case .methodNotAllowed:
                        "\(request.method.rawValue) is not allowed on \(request.uri.path.prefix(200))."
                    default: "\(status.code) \(status.reasonPhrase)"
                    }
                }
            return Self.answer(request.uri.path, status: status, message: message, close: false)
        }
    }

    static func answer(_ path: String, status: HTTPResponse.Status, message: String, close: Bool) -> Response {
        var response: Response
        if path == "/tap" || path.hasPrefix("/tap/") {
            response = RegistryServer.response(.error(message, status: Int(status.code)))
        } else if path == "/api" || path.hasPrefix("/api/") {
            response = RegistryServer.jsonMessage(status, message)
        } else {
            response = RegistryServer.plain(status, message + "\n")
        }
        if close { response.headers[.connection] = "close" }
        return response
    }
}

/// A request body over an endpoint's limit (answered 413 by `ProtocolErrorMiddleware`).
struct BodyTooLarge: Error {
    var limit: Int
}

/// A request body that broke off or was malformed, e.g. a bad chunk size (answered 400).
struct BodyUnreadable: Error {
    var reason: String
}

extension Request {
    /// The whole body, at most `limit` bytes: a declared Content-Length over the limit is
    /// refused before anything is read; a body that grows past it is refused as it does.
    func collectBody(limit: Int) async throws -> ByteBuffer {
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw BodyTooLarge(limit: limit)
        }
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw BodyTooLarge(limit: limit)
        } catch {
            throw BodyUnreadable(reason: "\(error)")
        }
    }
}
