import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Publisher
import RegistryStore
import VOResource

/// Reads a record file, or expands a descriptor (.yaml/.yml/.json) into one.
/// Returns the XML and the descriptor's visibility, if it names one.
func recordDocument(_ path: String, dates: Bool = false) throws -> (Data, Visibility?) {
    guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read") }
    guard ServiceDescriptor.isDescriptorPath(path) else { return (data, nil) }
    do {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(path): a descriptor must be UTF-8 encoded")
        }
        let d = try ServiceDescriptor.parse(text)
        return (Data(try d.expand(dates: dates).utf8), d.visibility.flatMap(Visibility.init(rawValue:)))
    } catch {
        throw ValidationError("\(path): \(error)")
    }
}

/// `voreg publish FILE...`: records or descriptors into the local store, under the publishing
/// rules (schema-valid, created/updated set or checked; the datestamp moves only on change).
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish VOResource records or service descriptors (YAML/JSON) into the local store.",
        discussion: """
            A .yaml, .yml or .json file is a descriptor (identifier, title, description, publisher, \
            contact, subjects, visibility, capabilities) expanded into a complete record; other files \
            are bare ri:Resource records. --print shows the expanded record without storing it.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Record or descriptor files.") var files: [String] = []
    @Option(help: "public or internal (default: the descriptor's visibility, else public).") var visibility: String?
    @Flag(name: .customLong("print"), help: "Print the records (expanded descriptors) instead of publishing them.")
    var printOnly = false
    @Flag(help: "JSON output.") var json = false
    @Option(help: "Build the record from this service's VOSI capabilities (and tables); `serve` keeps it fresh.")
    var fromVosi: String?
    @Option(help: "The identifier of the record built with --from-vosi.") var ivoid: String?
    @Option(help: "The title of the record built with --from-vosi.") var title: String?

    func run() throws {
        if let fromVosi { return try publishFromVOSI(fromVosi) }
        guard !files.isEmpty else { throw ValidationError("give record or descriptor files") }
        var forced: Visibility?
        if let visibility {
            guard let v = Visibility(rawValue: visibility) else { throw ValidationError("--visibility must be public or internal") }
            forced = v
        }
        if printOnly {
            for f in files { print(String(decoding: try recordDocument(f, dates: true).0, as: UTF8.self)) }
            return
        }
        let validator = SchemaValidator.locateSchemasDirectory().flatMap { try? SchemaValidator(schemasDirectory: $0) }
        let publisher = RecordPublisher(store: try RegistryStore(path: store.database), validator: validator)
        var failed = false
        var outcomes: [PublishOutcome] = []
        for f in files {
            do {
                let (data, vis) = try recordDocument(f)
                let o = try publisher.publish(data, visibility: forced ?? vis ?? .public, account: nil)
                outcomes.append(o)
                if !json { print("\(f): \(o.outcome) \(o.identifier) (\(o.visibility))") }
            } catch let e as PublishError {
                failed = true
                printError("\(f): \(e.description)")
            }
        }
        if json { print(String(decoding: try jsonEncoder().encode(outcomes), as: UTF8.self)) }
        if failed { throw ExitCode(1) }
    }
}

extension PublishCommand {
    func publishFromVOSI(_ url: String) throws {
        guard let ivoid else { throw ValidationError("--from-vosi needs --ivoid ivo://AUTH/name") }
        var vis = Visibility.public
        if let visibility {
            guard let x = Visibility(rawValue: visibility) else { throw ValidationError("--visibility must be public or internal") }
            vis = x
        }
        let source = VOSISource(url: url, ivoid: ivoid, title: title, visibility: vis)
        let xml: String
        do { xml = try runAsync { try await VOSIReader.buildRecord(source) } } catch let e as PublishError {
            throw ValidationError(e.description)
        }
        if printOnly {
            print(xml)
            return
        }
        let validator = SchemaValidator.locateSchemasDirectory().flatMap { try? SchemaValidator(schemasDirectory: $0) }
        let store = try RegistryStore(path: self.store.database)
        do {
            let o = try RecordPublisher(store: store, validator: validator).publish(Data(xml.utf8), visibility: vis, account: nil)
            try VOSISources(store: store).save(source)
            try VOSISources(store: store).record(ivoid: ivoid, available: true, error: nil)
            if json { print(String(decoding: try jsonEncoder().encode(o), as: UTF8.self)) } else {
                print("\(url): \(o.outcome) \(o.identifier) (\(o.visibility))")
            }
        } catch let e as PublishError {
            printError("\(url): \(e.description)")
            throw ExitCode(1)
        }
    }
}

/// `voreg push FILE... --server URL`: the same through a remote registry's API, with a token.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Publish records or descriptors to a remote registry (PUT /api/records/{ivoid}).",
        discussion: """
            The token comes from --token or VOREG_TOKEN; with --user NAME the password is read \
            from standard input and a token is obtained by POST /api/login.
            """)

    @Argument(help: "Record or descriptor files.") var files: [String] = []
    @Option(help: "The registry's root URL, e.g. http://127.0.0.1:8080.") var server: String
    @Option(help: "A bearer token (default: $VOREG_TOKEN).") var token: String?
    @Option(help: "Log in as this account (password on standard input).") var user: String?
    @Option(help: "public or internal (default: the descriptor's visibility, else public).") var visibility: String?

    func run() throws {
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        var bearer = token ?? ProcessInfo.processInfo.environment["VOREG_TOKEN"]
        if let user {
            let password = try UserCommand.readPassword("Password for \(user): ")
            let body = try JSONSerialization.data(withJSONObject: ["name": user, "password": password])
            let (status, data) = try http("POST", base + "/api/login", body: body, type: "application/json", token: nil)
            guard status == 200, let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let t = obj["token"] as? String
            else { throw ValidationError("login failed (\(status)): \(String(decoding: data, as: UTF8.self))") }
            bearer = t
        }
        guard let bearer else { throw ValidationError("give --token, VOREG_TOKEN or --user") }
        var failed = false
        for f in files {
            let (data, vis) = try recordDocument(f)
            let id: String
            do {
                var found = ""
                for entry in try RecordReader.read(data: data).entries {
                    if case .resource(let p) = entry, found.isEmpty { found = p.resource.identifier }
                }
                id = found
            } catch { throw ValidationError("\(f): \(error)") }
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let enc = id.trimmingCharacters(in: .whitespaces).addingPercentEncoding(withAllowedCharacters: allowed) ?? id
            let v = visibility ?? vis?.rawValue ?? "public"
            let (status, answer) = try http(
                "PUT", "\(base)/api/records/\(enc)?visibility=\(v)", body: data, type: "application/xml", token: bearer)
            let text = String(decoding: answer, as: UTF8.self)
            if status == 200 { print("\(f): \(text)") } else {
                failed = true
                printError("\(f): HTTP \(status): \(text)")
            }
        }
        if failed { throw ExitCode(1) }
    }

    func http(_ method: String, _ url: String, body: Data, type: String, token: String?) throws -> (Int, Data) {
        guard let u = URL(string: url) else { throw ValidationError("bad URL \(url)") }
        var req = URLRequest(url: u)
        req.httpMethod = method
        req.httpBody = body
        req.setValue(type, forHTTPHeaderField: "Content-Type")
        if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        req.timeoutInterval = 60
        let box = HTTPBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: req) { data, response, error in
            box.set((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data(), error)
            done.signal()
        }.resume()
        done.wait()
        if let e = box.error { throw ValidationError("\(url): \(e.localizedDescription)") }
        return (box.status, box.data)
    }
}

private final class HTTPBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var status = 0
    private(set) var data = Data()
    private(set) var error: (any Error)?
    func set(_ s: Int, _ d: Data, _ e: (any Error)?) { lock.withLock { status = s; data = d; error = e } }
}
