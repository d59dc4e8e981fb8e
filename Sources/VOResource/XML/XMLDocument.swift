internal import CLibXML2
import Foundation

/// Limits applied to every untrusted XML document before and while libxml2 parses it.
public struct XMLLimits: Sendable {
    /// Largest document accepted, in bytes.
    public var maxDocumentBytes: Int
    /// Deepest element nesting accepted (libxml2's own limit without XML_PARSE_HUGE is 256).
    public var maxDepth: Int

    /// 64 MiB: far above the largest real OAI-PMH page or VOResource record, far below memory trouble.
    public static let `default` = XMLLimits(maxDocumentBytes: 64 * 1024 * 1024, maxDepth: 256)

    public init(maxDocumentBytes: Int, maxDepth: Int) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
    }
}

/// Why an XML document was refused.
public struct XMLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// 1-based line of the problem, when libxml2 reported one.
    public var line: Int?
    public var message: String

    public init(line: Int? = nil, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}

/// A parsed XML document owned by Swift; the libxml2 tree is freed with it.
///
/// Parsing is hardened for input from the network: no network access, no DTD loading,
/// no entity substitution, and documents with a document type declaration are refused
/// outright, so external entities and entity-expansion bombs never reach the parser.
public final class XMLDocument: @unchecked Sendable {
    let doc: xmlDocPtr

    /// Parses `data`, refusing anything unsafe or malformed.
    /// - Parameters:
    ///   - data: the document's bytes.
    ///   - url: a name used in messages (a file path or URL); nothing is fetched from it.
    ///   - limits: size and depth limits.
    public init(data: Data, url: String = "input", limits: XMLLimits = .default) throws(XMLError) {
        if data.count > limits.maxDocumentBytes {
            throw XMLError("document is \(data.count) bytes, over the limit of \(limits.maxDocumentBytes) bytes")
        }
        if data.isEmpty { throw XMLError("document is empty") }
        try XMLDocument.refuseDoctype(data)
        guard let ctxt = xmlNewParserCtxt() else { throw XMLError("cannot allocate an XML parser") }
        defer { xmlFreeParserCtxt(ctxt) }
        // Errors are read from the context; nothing is printed to stderr.
        ctxt.pointee.sax.pointee.serror = silentErrorHandler
        let parsed: xmlDocPtr? = data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            return xmlCtxtReadMemory(ctxt, base, Int32(raw.count), url, nil, voreg_safeParseOptions())
        }
        guard let parsed, ctxt.pointee.wellFormed != 0, ctxt.pointee.nsWellFormed != 0 else {
            if let parsed { xmlFreeDoc(parsed) }
            throw XMLDocument.lastError(ctxt) ?? XMLError("document is not well-formed XML")
        }
        if parsed.pointee.intSubset != nil || parsed.pointee.extSubset != nil {
            xmlFreeDoc(parsed)
            throw XMLError("document type declarations are refused")
        }
        doc = parsed
        // libxml2 itself stops at 256 levels (XML_PARSE_HUGE is never set); walk only for a tighter limit.
        if limits.maxDepth < 256, let root = root, root.maxDepth(limit: limits.maxDepth) > limits.maxDepth {
            throw XMLError("elements nest deeper than \(limits.maxDepth) levels")
        }
    }

    deinit { xmlFreeDoc(doc) }

    /// Resolved QNames (a document is read by one thread at a time).
    var qnameCache: [QNameCacheKey: QualifiedName] = [:]

    /// The root element.
    public var root: XMLElement? {
        guard let node = xmlDocGetRootElement(doc) else { return nil }
        return XMLElement(node: node, document: self)
    }

    static func lastError(_ ctxt: xmlParserCtxtPtr) -> XMLError? {
        guard let err = xmlCtxtGetLastError(ctxt) else { return nil }
        let msg = err.pointee.message.map { String(cString: $0) } ?? "XML error \(err.pointee.code)"
        return XMLError(line: Int(err.pointee.line), msg.xmlTrimmed)
    }

    /// Refuses a document whose prologue carries a document type declaration.
    ///
    /// VOResource and OAI-PMH documents never have one; a DTD is how external entities
    /// (`file:///etc/passwd`) and entity bombs (billion laughs) arrive, so none is read.
    static func refuseDoctype(_ data: Data) throws(XMLError) {
        let found: Bool = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            let n = bytes.count
            // UTF-8 byte order mark
            if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
            while i < n {
                let c = bytes[i]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
                guard c == UInt8(ascii: "<"), i + 1 < n else { return false }
                let next = bytes[i + 1]
                if next == UInt8(ascii: "?") {  // processing instruction or XML declaration
                    var j = i + 2
                    while j + 1 < n, !(bytes[j] == UInt8(ascii: "?") && bytes[j + 1] == UInt8(ascii: ">")) { j += 1 }
                    i = j + 2
                    continue
                }
                if next == UInt8(ascii: "!") {
                    if i + 3 < n, bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-") {
                        var j = i + 4
                        while j + 2 < n,
                            !(bytes[j] == UInt8(ascii: "-") && bytes[j + 1] == UInt8(ascii: "-")
                                && bytes[j + 2] == UInt8(ascii: ">"))
                        {
                            j += 1
                        }
                        i = j + 3
                        continue
                    }
                    return true  // <!DOCTYPE or anything else markup-declaration-like
                }
                return false  // the root element starts: no DTD before it
            }
            return false
        }
        if found {
            throw XMLError(
                line: 1,
                "document type declarations (DTDs) are refused: external entities and entity expansion are not allowed")
        }
    }
}

private let silentErrorHandler: xmlStructuredErrorFunc = { _, _ in }

/// An element of an `XMLDocument`; valid while the document lives (it holds a reference to it).
public struct XMLElement: @unchecked Sendable {
    let node: xmlNodePtr
    let document: XMLDocument

    init(node: xmlNodePtr, document: XMLDocument) {
        self.node = node
        self.document = document
    }

    /// The local name (no prefix).
    public var name: String { String(cString: node.pointee.name) }

    /// The element's namespace URI, or nil when unqualified.
    public var namespace: String? {
        guard let ns = node.pointee.ns, let href = ns.pointee.href else { return nil }
        return Self.namespaceURI(href)
    }

    /// A namespace URI as declared. Without entity substitution (XML_PARSE_NOENT is never set)
    /// libxml2 keeps an `&` of an attribute value (`&amp;` or `&#38;`) as the reference
    /// `&#38;`, which it decodes later for ordinary attributes but never for `xmlns`
    /// declarations. No other `&` can remain in the value, so decoding that one reference
    /// gives the URI as written.
    static func namespaceURI(_ href: UnsafePointer<xmlChar>) -> String {
        let s = String(cString: href)
        return s.contains("&#38;") ? s.replacingOccurrences(of: "&#38;", with: "&") : s
    }

    /// 1-based source line.
    public var line: Int { Int(xmlGetLineNo(node)) }

    /// Child elements in document order.
    public var children: [XMLElement] {
        var result: [XMLElement] = []
        var cur = node.pointee.children
        while let c = cur {
            if c.pointee.type == XML_ELEMENT_NODE { result.append(XMLElement(node: c, document: document)) }
            cur = c.pointee.next
        }
        return result
    }

    /// Calls `body` for each child element, without building an array.
    @inline(__always)
    public func forEachChild(_ body: (XMLElement) throws -> Void) rethrows {
        var cur = node.pointee.children
        while let c = cur {
            if c.pointee.type == XML_ELEMENT_NODE { try body(XMLElement(node: c, document: document)) }
            cur = c.pointee.next
        }
    }

    /// Child elements with local name `name`.
    public func children(named name: String) -> [XMLElement] {
        var result: [XMLElement] = []
        forEachChild { if $0.hasName(name) { result.append($0) } }
        return result
    }

    /// The first child element with local name `name`.
    public func child(named name: String) -> XMLElement? {
        var cur = node.pointee.children
        while let c = cur {
            if c.pointee.type == XML_ELEMENT_NODE {
                let e = XMLElement(node: c, document: document)
                if e.hasName(name) { return e }
            }
            cur = c.pointee.next
        }
        return nil
    }

    /// Compares the local name without allocating a Swift string.
    @inline(__always)
    public func hasName(_ name: String) -> Bool {
        name.withCString { strcmp($0, UnsafeRawPointer(node.pointee.name).assumingMemoryBound(to: CChar.self)) == 0 }
    }

    /// The concatenated text content (character data of all descendants).
    public var text: String {
        // Fast path: a single text child, the usual case.
        if let c = node.pointee.children, c.pointee.next == nil, c.pointee.type == XML_TEXT_NODE,
            let content = c.pointee.content
        {
            return String(cString: content)
        }
        guard let raw = xmlNodeGetContent(node) else { return "" }
        defer { voreg_xmlFree(raw) }
        return String(cString: raw)
    }

    /// An unqualified attribute's value.
    public func attribute(_ name: String) -> String? {
        guard let raw = xmlGetNoNsProp(node, name) else { return nil }
        defer { voreg_xmlFree(raw) }
        return String(cString: raw)
    }

    /// A namespaced attribute's value.
    public func attribute(_ name: String, namespace: String) -> String? {
        guard let raw = xmlGetNsProp(node, name, namespace) else { return nil }
        defer { voreg_xmlFree(raw) }
        return String(cString: raw)
    }

    /// The `xsi:type` attribute, resolved against the namespaces in scope here.
    public var xsiType: QualifiedName? {
        guard let value = attribute("type", namespace: XMLNamespaces.xsi) else { return nil }
        return resolveQName(value)
    }

    /// Resolves a QName written in content (`prefix:local`) against the namespaces in scope.
    public func resolveQName(_ value: String) -> QualifiedName {
        let trimmed = value.xmlTrimmed
        let colon = trimmed.firstIndex(of: ":")
        let prefix = colon.map { String(trimmed[..<$0]) }
        let ns = prefix.map { xmlSearchNs(document.doc, node, $0) } ?? xmlSearchNs(document.doc, node, nil)
        // The same QName under the same declaration resolves the same way: cache per document.
        let key = QNameCacheKey(declaration: ns.map { UnsafeRawPointer($0) }, written: trimmed)
        if let cached = document.qnameCache[key] { return cached }
        let uri = ns.flatMap { $0.pointee.href }.map(Self.namespaceURI)
        let local = colon.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        let q = QualifiedName(namespace: uri, local: local, writtenPrefix: prefix)
        document.qnameCache[key] = q
        return q
    }

    /// Every namespace declaration in scope at this element (innermost wins), as prefix → URI.
    public var namespacesInScope: [(prefix: String?, uri: String)] {
        var result: [(prefix: String?, uri: String)] = []
        var seen = Set<String>()
        var cur: xmlNodePtr? = node
        while let n = cur, n.pointee.type == XML_ELEMENT_NODE {
            var ns = n.pointee.nsDef
            while let d = ns {
                let prefix = d.pointee.prefix.map { String(cString: $0) }
                if !seen.contains(prefix ?? "") {
                    seen.insert(prefix ?? "")
                    result.append((prefix, d.pointee.href.map(Self.namespaceURI) ?? ""))
                }
                ns = d.pointee.next
            }
            cur = n.pointee.parent
        }
        return result
    }

    /// Serialises this element with every namespace declaration in scope, so the result
    /// is a stand-alone document fragment. Content is not reformatted.
    public func serializedStandalone() -> String {
        // Declare the in-scope namespaces inherited from ancestors on the element itself.
        var declared = Set<String>()
        var d = node.pointee.nsDef
        while let cur = d {
            declared.insert(cur.pointee.prefix.map { String(cString: $0) } ?? "")
            d = cur.pointee.next
        }
        var anc = node.pointee.parent
        while let a = anc, a.pointee.type == XML_ELEMENT_NODE {
            var ns = a.pointee.nsDef
            while let cur = ns {
                let prefix = cur.pointee.prefix.map { String(cString: $0) } ?? ""
                if !declared.contains(prefix) {
                    declared.insert(prefix)
                    xmlNewNs(node, cur.pointee.href, cur.pointee.prefix)
                }
                ns = cur.pointee.next
            }
            anc = a.pointee.parent
        }
        return serialized()
    }

    /// Serialises this element as it stands (namespaces declared by ancestors are not repeated).
    public func serialized() -> String {
        guard let buf = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buf) }
        xmlNodeDump(buf, document.doc, node, 0, 0)
        guard let content = xmlBufferContent(buf) else { return "" }
        return String(cString: content)
    }

    func maxDepth(limit: Int) -> Int {
        // Iterative walk: recursion on hostile nesting is exactly what must not happen.
        var depth = 1
        var best = 1
        var cur: xmlNodePtr? = node
        while let n = cur {
            if let child = firstElementChild(n) {
                cur = child
                depth += 1
                best = max(best, depth)
                if best > limit { return best }
                continue
            }
            var up: xmlNodePtr? = n
            cur = nil
            while let u = up, u != node {
                if let sib = nextElementSibling(u) {
                    cur = sib
                    break
                }
                up = u.pointee.parent
                depth -= 1
            }
        }
        return best
    }

    private func firstElementChild(_ n: xmlNodePtr) -> xmlNodePtr? {
        var c = n.pointee.children
        while let x = c {
            if x.pointee.type == XML_ELEMENT_NODE { return x }
            c = x.pointee.next
        }
        return nil
    }

    private func nextElementSibling(_ n: xmlNodePtr) -> xmlNodePtr? {
        var c = n.pointee.next
        while let x = c {
            if x.pointee.type == XML_ELEMENT_NODE { return x }
            c = x.pointee.next
        }
        return nil
    }
}

struct QNameCacheKey: Hashable {
    var declaration: UnsafeRawPointer?
    var written: String
}

/// A namespace-qualified name, as read from an element or from an `xsi:type` value.
public struct QualifiedName: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String?
    public var local: String
    /// The prefix as the document wrote it (may be a generated one such as `q1`).
    public var writtenPrefix: String?

    public init(namespace: String?, local: String, writtenPrefix: String? = nil) {
        self.namespace = namespace
        self.local = local
        self.writtenPrefix = writtenPrefix
    }

    /// `prefix:local` with the canonical prefix of the namespace when it is a known IVOA one,
    /// else the prefix as written.
    public var canonical: String {
        if let ns = namespace, let p = XMLNamespaces.canonicalPrefix(for: ns) { return "\(p):\(local)" }
        if let p = writtenPrefix { return "\(p):\(local)" }
        return local
    }

    public var description: String { canonical }

    public static func == (a: QualifiedName, b: QualifiedName) -> Bool {
        a.namespace == b.namespace && a.local == b.local
    }

    public func hash(into h: inout Hasher) {
        h.combine(namespace)
        h.combine(local)
    }
}
