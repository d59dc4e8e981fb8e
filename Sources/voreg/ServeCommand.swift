import ArgumentParser
import Dispatch
import Foundation
import Logging
import RegistryServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry over HTTP: OAI-PMH at /oai, Prometheus metrics at /metrics.",
        discussion: """
            Settings come from the flags, then VOREG_LISTEN, VOREG_BASE_URL, VOREG_DATABASE, \
            VOREG_REGISTRY_IVOID and VOREG_PAGE_SIZE, then the config file (--config, or \
            Resources/voreg.json when present), then built-in defaults. An empty store gets the \
            sample records (internal-*.xml as internal). Logs are JSON lines on standard output; \
            SIGTERM or SIGINT stops the server after in-flight responses are sent.
            """)

    @Option(help: "A JSON config file (default: Resources/voreg.json if present).")
    var config: String?

    @Option(help: "HOST:PORT to listen on (default 127.0.0.1:8080).")
    var listen: String?

    @Option(help: "The public URL of the server root; OAI-PMH is served at <base-url>/oai.")
    var baseURL: String?

    @Option(help: "The SQLite store file (default var/voreg.sqlite).")
    var database: String?

    @Option(help: "This registry's IVOA identifier.")
    var registryIvoid: String?

    @Option(help: "The registry's title (also the OAI-PMH repositoryName).")
    var title: String?

    @Option(help: "The registry's publisher.")
    var publisher: String?

    @Option(help: "The contact email (also the OAI-PMH adminEmail).")
    var contactEmail: String?

    @Option(help: "An authority this registry manages (repeat for several; replaces the configured list).")
    var managedAuthority: [String] = []

    @Option(help: "Records per OAI-PMH list page (default 500).")
    var pageSize: Int?

    @Option(help: "HOST:PORT of the internal listener: requests arriving there see internal records (TAP, search, web).")
    var internalListen: String?

    @Option(help: "Seconds between re-reads of the VOSI documents of records built from them (default 3600).")
    var vosiInterval: Int?

    @Option(help: "Seconds a publisher's bearer token stays valid (default 28800).")
    var apiTokenLifetime: Int?

    @Option(help: "Seconds a connection may wait between complete request parts before it is closed (default 30): slow or stalled clients are dropped.")
    var idleTimeout: Double?

    @Option(help: "Open connections per listener (default 1024); more are answered 503 and closed.")
    var maxConnections: Int?

    @Option(help: "Seconds a synchronous TAP query may run before it ends with a TAP error (default 30).")
    var tapSyncTimeout: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() throws {
        #if os(Linux)
        // Two malloc arenas instead of one per thread (glibc's default allows 8 per core): the
        // server's blocking workers otherwise each keep freed pages of large responses.
        _ = glibcMallopt(glibcArenaMax, 2)
        #endif
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        var configuration: ServerConfiguration
        do {
            var file: ServerSettings?
            if let config {
                file = try ServerSettings.load(file: config)
            } else if FileManager.default.fileExists(atPath: ServerConfiguration.defaultConfigFile) {
                file = try ServerSettings.load(file: ServerConfiguration.defaultConfigFile)
            }
            var flags = ServerSettings()
            flags.listen = listen
            flags.baseURL = baseURL
            flags.database = database
            flags.registryIvoid = registryIvoid
            flags.title = title
            flags.publisher = publisher
            flags.contactEmail = contactEmail
            flags.managedAuthorities = managedAuthority.isEmpty ? nil : managedAuthority
            flags.pageSize = pageSize
            configuration = try ServerConfiguration.resolve(
                file: file, environment: try ServerSettings.environment(), flags: flags)
            if let internalListen {
                _ = try ServerConfiguration.parseListen(internalListen)
                configuration.internalListen = internalListen
            }
            if let vosiInterval {
                guard vosiInterval > 0 else { throw ValidationError("--vosi-interval must be positive") }
                configuration.vosiInterval = vosiInterval
            }
            if let idleTimeout {
                guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
                configuration.http.idleTimeout = idleTimeout
            }
            if let maxConnections {
                guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
                configuration.http.maxConnections = maxConnections
            }
            if let tapSyncTimeout {
                guard tapSyncTimeout > 0 else { throw ValidationError("--tap-sync-timeout must be positive") }
                configuration.tapSyncTimeLimit = tapSyncTimeout
            }
            if let apiTokenLifetime {
                guard apiTokenLifetime > 0 else { throw ValidationError("--api-token-lifetime must be positive") }
                configuration.apiTokenLifetime = apiTokenLifetime
            }
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }

        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        let logger = Logger(label: "voreg")
        // Each connection is a descriptor: make room for both listeners' limits plus the store's.
        let listeners = configuration.internalListen == nil ? 1 : 2
        let wanted = UInt64(configuration.http.maxConnections * listeners + 256)
        let available = raiseOpenFileLimit(to: wanted)
        if available < wanted {
            logger.warning(
                "open-file limit below what --max-connections needs",
                metadata: ["limit": "\(available)", "needed": "\(wanted)"])
        }
        // Opening the store, the sample import and publishing the registry's records are
        // blocking GRDB work: done here on the main thread, before any async code runs.
        let server: RegistryServer
        do {
            server = try RegistryServer(configuration: configuration, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }

        // The server runs on Swift's concurrency pool; this thread waits for it to stop.
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await server.run() } catch { outcome.set(error) }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            logger.critical("server failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

/// The error the server stopped with, if any (written by the server task, read after it ends).
private final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    func set(_ e: any Error) { lock.withLock { stored = e } }
    var error: (any Error)? { lock.withLock { stored } }
}

#if os(Linux)
/// glibc's `mallopt` (declared in malloc.h, which Swift's Glibc module does not import).
/// Raises the soft RLIMIT_NOFILE towards `wanted` (never above the hard limit); the limit now.
private func raiseOpenFileLimit(to wanted: UInt64) -> UInt64 {
    var limit = rlimit()
    #if os(Linux)
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    let resource = RLIMIT_NOFILE
    #endif
    guard getrlimit(resource, &limit) == 0 else { return wanted }
    if UInt64(limit.rlim_cur) < wanted {
        var raised = limit
        raised.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        if setrlimit(resource, &raised) == 0 { limit = raised }
    }
    return UInt64(limit.rlim_cur)
}

@_silgen_name("mallopt") private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
/// `M_ARENA_MAX` in malloc.h.
private let glibcArenaMax: Int32 = -8
#endif
