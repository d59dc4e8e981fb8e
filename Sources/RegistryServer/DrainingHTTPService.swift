import Foundation
import Logging
import ServiceLifecycle

/// Requests between their arrival and the last byte of their response handed to the server.
final class InFlightRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func begin() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    func end() {
        lock.lock()
        count -= 1
        lock.unlock()
    }

    var current: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

/// Runs the HTTP applications (and the services beside them) in a group of their own, and on
/// SIGTERM lets in-flight responses finish before the HTTP servers quiesce.
///
/// Hummingbird, told to shut down, closes a connection as soon as its last response part is
/// written to the channel; NIO drops what a slow client has not taken yet at that moment, so
/// a large response in flight could lose its tail. Here the inner group is only told to stop
/// once no request is in flight and a short drain delay has passed (bounded by `maxWait`, so
/// a response that never started cannot hold the stop beyond what service managers allow).
struct DrainingHTTPService: Service {
    let apps: [any Service]
    let inFlight: InFlightRequests
    let logger: Logger
    var drain: Duration = .seconds(1)
    var maxWait: Duration = .seconds(30)

    func run() async throws {
        let inner = ServiceGroup(services: apps, logger: logger)
        // Detached: a ServiceGroup run inside a service would otherwise take up its parent's
        // graceful shutdown at once (task-local), which is what this wrapper delays.
        let running = Task.detached { try await inner.run() }
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await running.value
            } onCancel: {
                running.cancel()
            }
        } onGracefulShutdown: {
            Task {
                let deadline = ContinuousClock.now + maxWait
                while inFlight.current > 0 && ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                try? await Task.sleep(for: drain)
                await inner.triggerGracefulShutdown()
            }
        }
    }
}
