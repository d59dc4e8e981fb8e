internal import CLibXML2
import Foundation

/// One schema-validation error.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// XSD validation of VOResource records against the local IVOA schemas, fully offline.
///
/// The schemas are found through the project's OASIS catalog (`Schemas/catalog.xml`), which
/// maps every namespace and schemaLocation URL to a local file; libxml2's external-entity
/// loader is replaced by its no-network one, so nothing is ever fetched. A compiled schema is
/// shared: one validator serves any number of concurrent validations.
public final class SchemaValidator: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    /// The driver schema this validator was compiled from.
    public let schemaPath: String

    private static let setupLock = NSLock()
    nonisolated(unsafe) private static var loadedCatalogs = Set<String>()

    /// Compiles a driver schema.
    /// - Parameters:
    ///   - schemaPath: the driver XSD (e.g. `Schemas/registry-records.xsd`).
    ///   - catalogPath: the OASIS catalog that maps URLs to local files.
    public init(schemaPath: String, catalogPath: String) throws(XMLError) {
        guard FileManager.default.fileExists(atPath: schemaPath) else {
            throw XMLError("schema \(schemaPath) not found (run `make schemas`)")
        }
        SchemaValidator.setupLock.lock()
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader)
        if !SchemaValidator.loadedCatalogs.contains(catalogPath) {
            if xmlLoadCatalog(catalogPath) != 0 {
                SchemaValidator.setupLock.unlock()
                throw XMLError("cannot load XML catalog \(catalogPath)")
            }
            SchemaValidator.loadedCatalogs.insert(catalogPath)
        }
        let collector = IssueCollector()
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        let pctxt = xmlSchemaNewParserCtxt(schemaPath)
        xmlSchemaSetParserStructuredErrors(pctxt, issueCallback, box.toOpaque())
        let compiled = xmlSchemaParse(pctxt)
        xmlSchemaFreeParserCtxt(pctxt)
        SchemaValidator.setupLock.unlock()
        guard let compiled else {
            let first = collector.issues.first.map { $0.description } ?? "unknown error"
            throw XMLError("cannot compile schema \(schemaPath): \(first)")
        }
        schema = compiled
        self.schemaPath = schemaPath
    }

    /// A validator for records, from a Schemas directory holding `catalog.xml` and the
    /// driver schema `registry-records.xsd`.
    public convenience init(schemasDirectory dir: String, driver: String = "registry-records.xsd") throws(XMLError) {
        try self.init(schemaPath: dir + "/" + driver, catalogPath: dir + "/catalog.xml")
    }

    deinit { xmlSchemaFree(schema) }

    /// Validates one element (a record inside its document) and returns its errors.
    public func validate(_ element: XMLElement) -> [ValidationIssue] {
        run { ctxt in xmlSchemaValidateOneElement(ctxt, element.node) }
    }

    /// What the current RECs forbid that the schema files we can ship still allow.
    ///
    /// The schemas come from Debian's python3-gavo, whose StandardsRegExt.xsd predates
    /// StandardsRegExt 1.1 (REC 2025), which removed `vstd:StandardKeyEnumeration`; registries
    /// validating against the current RECs refuse such records, so we flag them too.
    public func supersededIssues(_ resource: Resource, line: Int) -> [ValidationIssue] {
        guard let t = resource.xsiType, t.namespace == XMLNamespaces.vstd, t.local == "StandardKeyEnumeration" else {
            return []
        }
        return [
            ValidationIssue(
                line: line,
                message: "xsi:type vstd:StandardKeyEnumeration was removed in StandardsRegExt 1.1 (describe the keys in a vstd:Standard)")
        ]
    }

    /// Validates a whole document and returns its errors.
    public func validate(_ document: XMLDocument) -> [ValidationIssue] {
        run { ctxt in xmlSchemaValidateDoc(ctxt, document.doc) }
    }

    private func run(_ body: (xmlSchemaValidCtxtPtr) -> Int32) -> [ValidationIssue] {
        guard let ctxt = xmlSchemaNewValidCtxt(schema) else {
            return [ValidationIssue(line: 0, message: "cannot allocate a validation context")]
        }
        defer { xmlSchemaFreeValidCtxt(ctxt) }
        let collector = IssueCollector()
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(ctxt, issueCallback, box.toOpaque())
        let rc = body(ctxt)
        if rc != 0 && collector.issues.isEmpty {
            return [ValidationIssue(line: 0, message: "validation failed (libxml2 code \(rc))")]
        }
        return collector.issues
    }

    /// Finds the Schemas directory: `$VOREG_SCHEMAS`, `./Schemas`, or `Schemas` next to the
    /// package the executable was built in.
    public static func locateSchemasDirectory() -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["VOREG_SCHEMAS"] { candidates.append(env) }
        candidates.append(FileManager.default.currentDirectoryPath + "/Schemas")
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for _ in 0..<5 {
            url = url.deletingLastPathComponent()
            candidates.append(url.path + "/Schemas")
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/catalog.xml") }
    }
}

private final class IssueCollector {
    var issues: [ValidationIssue] = []
}

private let issueCallback: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let collector = Unmanaged<IssueCollector>.fromOpaque(userData).takeUnretainedValue()
    let message = error.pointee.message.map { String(cString: $0) } ?? "error \(error.pointee.code)"
    collector.issues.append(
        ValidationIssue(
            line: Int(error.pointee.line), message: message.xmlTrimmed))
}

/// The validation verdict for one record.
public struct RecordValidation: Sendable {
    /// The record's identifier, or "-" when none could be read.
    public var identifier: String
    public var file: String
    public var issues: [ValidationIssue]
    public var isValid: Bool { issues.isEmpty }
}

extension SchemaValidator {
    /// Validates every record in a document: a bare record as a whole document (as
    /// `xmllint --schema` does), the records of a container or OAI-PMH page one by one.
    /// A document that cannot be read gives one invalid verdict with the reason.
    public func validateRecords(data: Data, file: String, limits: XMLLimits = .default) -> [RecordValidation] {
        let doc: XMLDocument
        do {
            doc = try XMLDocument(data: data, url: file, limits: limits)
        } catch {
            return [
                RecordValidation(
                    identifier: "-", file: file, issues: [ValidationIssue(line: error.line ?? 0, message: error.message)])
            ]
        }
        guard let root = doc.root else { return [] }
        let elements = RecordReader.recordElements(root)
        func ident(_ e: XMLElement) -> String {
            let t = e.child(named: "identifier")?.text.xmlTrimmed ?? ""
            return t.isEmpty ? "-" : t
        }
        if elements.count == 1, elements[0].node == root.node {
            return [RecordValidation(identifier: ident(root), file: file, issues: validate(doc))]
        }
        if elements.isEmpty {
            return [
                RecordValidation(
                    identifier: "-", file: file,
                    issues: [
                        ValidationIssue(
                            line: root.line,
                            message: "root element {\(root.namespace ?? "")}\(root.name) holds no VOResource record")
                    ])
            ]
        }
        return elements.map { RecordValidation(identifier: ident($0), file: file, issues: validate($0)) }
    }
}
