import Foundation

/// One record found in an input document.
public enum RecordEntry: Sendable {
    /// A VOResource record with its XML (stand-alone, every in-scope namespace declared).
    case resource(ParsedRecord)
    /// An OAI-PMH header with `status="deleted"`: the record is gone at its source.
    case deleted(identifier: String, datestamp: String?, index: Int)
    /// A record that could not be read, with the reason.
    case rejected(index: Int, identifier: String?, error: RecordError)
}

/// A record read from a document: the model and the original XML it came from.
public struct ParsedRecord: Sendable {
    public var resource: Resource
    /// The record element as read, with every namespace in scope declared on it.
    public var xml: String
    /// Position of the record in its document (0-based).
    public var index: Int
    /// The OAI-PMH header datestamp, when the record came from an OAI-PMH page.
    public var oaiDatestamp: String?
    /// The OAI-PMH header setSpecs, when the record came from an OAI-PMH page.
    public var oaiSets: [String]
    /// Schema-validation errors of the record as read; nil when it was not validated.
    public var schemaIssues: [ValidationIssue]? = nil
}

/// What kind of document held the records.
public enum DocumentKind: String, Sendable {
    case resource
    case voResources
    case oaiPMH
}

/// A whole input document split into its records.
public struct RecordDocument: Sendable {
    public var kind: DocumentKind
    public var entries: [RecordEntry]
    /// An OAI-PMH page's resumption token (nil when absent, "" on the last page).
    public var resumptionToken: String?
    /// An OAI-PMH error response (`code`, message), when the page is one.
    public var oaiError: (code: String, message: String)?
}

/// Splits documents into records: a bare `ri:Resource`, an `ri:VOResources` container,
/// or an OAI-PMH GetRecord/ListRecords response (with deleted headers).
public enum RecordReader {
    /// Reads every record of a document.
    /// - Parameters:
    ///   - data: the document bytes.
    ///   - name: used in messages.
    ///   - limits: XML safety limits.
    /// - Throws: ``XMLError`` when the document is refused or not well-formed, or its root is
    ///   not one of the three kinds.
    ///   - validator: when given, each record is also validated against the schemas, in the
    ///     parsed tree (no second parse), and its errors kept in ``ParsedRecord/schemaIssues``.
    public static func read(
        data: Data, name: String = "input", limits: XMLLimits = .default, validator: SchemaValidator? = nil
    ) throws(XMLError) -> RecordDocument {
        let doc = try XMLDocument(data: data, url: name, limits: limits)
        guard let root = doc.root else { throw XMLError("document has no root element") }
        if let validator, root.name == "Resource" {
            // A bare record is validated as a whole document, as `xmllint --schema` does.
            var out = try read(root: root)
            if case .resource(var r) = out.entries.first {
                r.schemaIssues = validator.validate(doc) + validator.supersededIssues(r.resource, line: root.line)
                out.entries[0] = .resource(r)
            }
            return out
        }
        return try read(root: root, validator: validator)
    }

    /// Reads every record below an already parsed root element.
    public static func read(root: XMLElement, validator: SchemaValidator? = nil) throws(XMLError) -> RecordDocument {
        let ns = root.namespace
        if root.name == "Resource", let ns, VOResourceReader.recordNamespaces.contains(ns) {
            return RecordDocument(kind: .resource, entries: [entry(root, index: 0, validator: validator)])
        }
        if root.name == "VOResources", ns == XMLNamespaces.ri {
            var entries: [RecordEntry] = []
            var i = 0
            root.forEachChild { c in
                if c.name == "Resource" {
                    entries.append(entry(c, index: i, validator: validator))
                    i += 1
                }
            }
            return RecordDocument(kind: .voResources, entries: entries)
        }
        if root.name == "OAI-PMH", ns == XMLNamespaces.oai {
            return readOAI(root, validator: validator)
        }
        throw XMLError(
            line: root.line,
            "root element {\(ns ?? "")}\(root.name) is not a VOResource record, an ri:VOResources container or an OAI-PMH response"
        )
    }

    /// The record elements of a document: the root itself, the children of `ri:VOResources`,
    /// or the metadata payloads of an OAI-PMH page.
    public static func recordElements(_ root: XMLElement) -> [XMLElement] {
        if root.name == "Resource" { return [root] }
        if root.name == "VOResources" { return root.children(named: "Resource") }
        if root.name == "OAI-PMH" {
            var out: [XMLElement] = []
            root.forEachChild { verb in
                verb.forEachChild { rec in
                    if rec.name == "record", let payload = rec.child(named: "metadata")?.children.first {
                        out.append(payload)
                    }
                }
            }
            return out
        }
        return []
    }

    static func entry(
        _ e: XMLElement, index: Int, datestamp: String? = nil, sets: [String] = [], validator: SchemaValidator? = nil
    ) -> RecordEntry {
        do {
            let r = try VOResourceReader.read(e)
            return .resource(
                ParsedRecord(
                    resource: r, xml: e.serializedStandalone(), index: index, oaiDatestamp: datestamp, oaiSets: sets,
                    schemaIssues: validator.map { $0.validate(e) + $0.supersededIssues(r, line: e.line) }))
        } catch {
            return .rejected(index: index, identifier: e.child(named: "identifier")?.text, error: error)
        }
    }

    static func readOAI(_ root: XMLElement, validator: SchemaValidator? = nil) -> RecordDocument {
        var doc = RecordDocument(kind: .oaiPMH, entries: [])
        var index = 0
        root.forEachChild { verb in
            if verb.name == "error" {
                doc.oaiError = (verb.attribute("code") ?? "", verb.text)
                return
            }
            guard verb.name == "ListRecords" || verb.name == "GetRecord" else { return }
            verb.forEachChild { rec in
                if rec.name == "resumptionToken" {
                    doc.resumptionToken = rec.text.xmlTrimmed
                    return
                }
                guard rec.name == "record" else { return }
                defer { index += 1 }
                let header = rec.child(named: "header")
                let identifier = header?.child(named: "identifier")?.text.xmlTrimmed
                let datestamp = header?.child(named: "datestamp")?.text.xmlTrimmed
                if header?.attribute("status") == "deleted" {
                    if let identifier, !identifier.isEmpty {
                        doc.entries.append(.deleted(identifier: identifier, datestamp: datestamp, index: index))
                    } else {
                        doc.entries.append(
                            .rejected(
                                index: index, identifier: nil,
                                error: RecordError(line: rec.line, "deleted header without an identifier")))
                    }
                    return
                }
                let sets = header?.children(named: "setSpec").map(\.text) ?? []
                guard let metadata = rec.child(named: "metadata"), let payload = metadata.children.first else {
                    doc.entries.append(
                        .rejected(
                            index: index, identifier: identifier,
                            error: RecordError(line: rec.line, "OAI-PMH record without metadata")))
                    return
                }
                doc.entries.append(entry(payload, index: index, datestamp: datestamp, sets: sets, validator: validator))
            }
        }
        return doc
    }
}
