/// A validated OAI-PMH request: one verb with exactly the arguments it allows.
public enum OAIRequest: Sendable, Equatable {
    /// Identify.
    case identify
    /// ListMetadataFormats, for the repository or for one item.
    case listMetadataFormats(identifier: String?)
    /// ListSets (a token is accepted syntactically; this repository never issues one).
    case listSets(resumptionToken: String?)
    /// GetRecord.
    case getRecord(identifier: String, metadataPrefix: String)
    /// ListIdentifiers.
    case listIdentifiers(OAIListRequest)
    /// ListRecords.
    case listRecords(OAIListRequest)

    /// The request's verb.
    public var verb: OAIVerb {
        switch self {
        case .identify: .identify
        case .listMetadataFormats: .listMetadataFormats
        case .listSets: .listSets
        case .getRecord: .getRecord
        case .listIdentifiers: .listIdentifiers
        case .listRecords: .listRecords
        }
    }

    /// The verb and arguments as the request element echoes them (verb first).
    public var echo: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = [("verb", verb.rawValue)]
        switch self {
        case .identify, .listSets(nil), .listMetadataFormats(nil): break
        case .listMetadataFormats(let id?): out.append(("identifier", id))
        case .listSets(let t?): out.append(("resumptionToken", t))
        case .getRecord(let id, let p): out += [("identifier", id), ("metadataPrefix", p)]
        case .listIdentifiers(.resume(let t)), .listRecords(.resume(let t)): out.append(("resumptionToken", t))
        case .listIdentifiers(.initial(let a)), .listRecords(.initial(let a)):
            out.append(("metadataPrefix", a.metadataPrefix))
            if let s = a.set { out.append(("set", s)) }
            if let f = a.from { out.append(("from", f.text)) }
            if let u = a.until { out.append(("until", u.text)) }
        }
        return out
    }

    /// Parses query or form parameters (already percent-decoded, in order).
    /// - Throws: ``OAIError/badVerb(_:)`` or ``OAIError/badArgument(_:)``.
    public static func parse(_ parameters: [(name: String, value: String)]) throws(OAIError) -> OAIRequest {
        let verbs = parameters.filter { $0.name == "verb" }
        guard let verbValue = verbs.first?.value else { throw .badVerb("the verb argument is missing") }
        guard verbs.count == 1 else { throw .badVerb("the verb argument is repeated") }
        guard let verb = OAIVerb(rawValue: verbValue) else {
            throw .badVerb("'\(XMLText.printable(verbValue))' is not an OAI-PMH verb")
        }
        var args: [String: String] = [:]
        for (name, value) in parameters where name != "verb" {
            guard verb.allowedArguments.contains(name) else {
                throw .badArgument("'\(XMLText.printable(name))' is not an argument of \(verb.rawValue)")
            }
            guard args[name] == nil else { throw .badArgument("the argument \(name) is repeated") }
            guard !value.isEmpty else { throw .badArgument("the argument \(name) is empty") }
            args[name] = value
        }
        if let token = args["resumptionToken"] {
            guard args.count == 1 else { throw .badArgument("resumptionToken is an exclusive argument") }
            switch verb {
            case .listSets: return .listSets(resumptionToken: token)
            case .listIdentifiers: return .listIdentifiers(.resume(token: token))
            default: return .listRecords(.resume(token: token))
            }
        }
        switch verb {
        case .identify: return .identify
        case .listSets: return .listSets(resumptionToken: nil)
        case .listMetadataFormats: return .listMetadataFormats(identifier: try args["identifier"].map(checkIdentifier))
        case .getRecord:
            guard let id = args["identifier"] else { throw .badArgument("GetRecord requires identifier") }
            return .getRecord(identifier: try checkIdentifier(id), metadataPrefix: try prefix(args, verb))
        case .listIdentifiers: return .listIdentifiers(.initial(try listArguments(args, verb)))
        case .listRecords: return .listRecords(.initial(try listArguments(args, verb)))
        }
    }

    static func prefix(_ args: [String: String], _ verb: OAIVerb) throws(OAIError) -> String {
        guard let p = args["metadataPrefix"] else { throw .badArgument("\(verb.rawValue) requires metadataPrefix") }
        guard XMLText.isToken(p) else { throw .badArgument("metadataPrefix '\(XMLText.printable(p))' is malformed") }
        return p
    }

    static func listArguments(_ args: [String: String], _ verb: OAIVerb) throws(OAIError) -> OAIListArguments {
        var a = OAIListArguments(metadataPrefix: try prefix(args, verb))
        if let s = args["set"] {
            guard s.split(separator: ":", omittingEmptySubsequences: false).allSatisfy({ XMLText.isToken(String($0)) })
            else { throw .badArgument("set '\(XMLText.printable(s))' is not a setSpec") }
            a.set = s
        }
        for key in ["from", "until"] {
            guard let v = args[key] else { continue }
            guard let d = OAIDate(v) else {
                throw .badArgument("\(key) '\(XMLText.printable(v))' is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")
            }
            if key == "from" { a.from = d } else { a.until = d }
        }
        if let f = a.from, let u = a.until {
            guard f.granularity == u.granularity else { throw .badArgument("from and until have different granularities") }
            guard f.lowerBound <= u.upperBound else { throw .badArgument("from is later than until") }
        }
        return a
    }

    /// Identifiers must be URI references (the request element echoes them as xs:anyURI).
    static func checkIdentifier(_ id: String) throws(OAIError) -> String {
        guard XMLText.isURIReference(id) else {
            throw .badArgument("identifier '\(XMLText.printable(id))' has an illegal syntax")
        }
        return id
    }
}

extension OAIListArguments {
    init(metadataPrefix: String) { self.metadataPrefix = metadataPrefix }
}
