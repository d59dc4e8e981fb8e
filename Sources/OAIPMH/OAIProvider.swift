import Foundation
public import RegistryStore

/// Answers OAI-PMH requests: parses the parameters, reads the repository and streams the
/// response document to a sink. This is what an HTTP server calls for GET and POST alike.
public final class OAIProvider: Sendable {
    /// The registry's OAI-PMH settings.
    public let configuration: OAIConfiguration
    /// The read side of the store.
    public let repository: OAIRepository

    /// Creates a provider over a store.
    public init(configuration: OAIConfiguration, store: RegistryStore) {
        self.configuration = configuration
        repository = OAIRepository(store: store, managedAuthorities: configuration.managedAuthorities)
    }

    /// Writes the response to `parameters` (decoded query or form pairs, in order).
    /// - Parameters:
    ///   - now: the response date, seconds since 1970 (tests pin it).
    ///   - sink: receives the document in chunks.
    /// - Throws: only store errors; protocol errors become error responses.
    public func respond(
        to parameters: [(name: String, value: String)], now: Int64 = RegistryStore.now(),
        sink: @escaping (String) -> Void
    ) throws {
        let w = OAIResponseWriter(baseURL: configuration.baseURL, sink: sink)
        let request: OAIRequest
        do {
            request = try OAIRequest.parse(parameters)
        } catch {
            w.begin(responseDate: now, request: nil)
            w.errors([error])
            w.end()
            return
        }
        var started = false
        do {
            try answer(request, now: now, writer: w, started: &started)
        } catch let error as OAIError {
            // Protocol errors are raised before the verb element is written; one raised later
            // cannot become an error response, so the caller sees it (and aborts the response).
            guard !started else { throw error }
            w.begin(responseDate: now, request: error.suppressesRequestArguments ? nil : request.echo)
            w.errors([error])
        }
        w.end()
    }

    private func answer(_ request: OAIRequest, now: Int64, writer w: OAIResponseWriter, started: inout Bool) throws {
        let c = configuration
        func start() {
            w.begin(responseDate: now, request: request.echo)
            w.open(request.verb)
            started = true
        }
        switch request {
        case .identify:
            let earliest = try repository.earliestDatestamp() ?? now
            start()
            w.identify(c, earliestDatestamp: earliest)
        case .listMetadataFormats(let identifier):
            if let identifier, try repository.item(identifier: identifier) == nil {
                throw OAIError.idDoesNotExist("no item has the identifier \(XMLText.printable(identifier))")
            }
            start()
            OAIMetadataFormat.allCases.forEach(w.metadataFormat)
        case .listSets(let token):
            guard !c.managedAuthorities.isEmpty else { throw OAIError.noSetHierarchy("this repository has no sets") }
            if token != nil { throw OAIError.badResumptionToken("ListSets never issues resumption tokens") }
            start()
            w.set(spec: OAISets.managed, name: OAISets.managedName)
        case .getRecord(let identifier, let prefix):
            let format = try Self.format(prefix)
            guard let item = try repository.item(identifier: identifier) else {
                throw OAIError.idDoesNotExist("no item has the identifier \(XMLText.printable(identifier))")
            }
            start()
            w.record(item, format: format)
        case .listIdentifiers(let list):
            try self.list(request, list, verb: .listIdentifiers, now: now, writer: w, start: start)
        case .listRecords(let list):
            try self.list(request, list, verb: .listRecords, now: now, writer: w, start: start)
        }
        if started { w.close(request.verb) }
    }

    static func format(_ prefix: String) throws(OAIError) -> OAIMetadataFormat {
        guard let f = OAIMetadataFormat(rawValue: prefix) else {
            throw .cannotDisseminateFormat("the metadata format \(prefix) is not supported (ivo_vor, oai_dc)")
        }
        return f
    }
}
