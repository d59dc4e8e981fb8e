/// Writes a ``Resource`` as an `ri:Resource` document, in the element order the schemas require.
///
/// Raw elements (unknown extensions) are written back verbatim where they stood; the
/// namespaces the record declared are declared again on the root, so their prefixes resolve.
public struct VOResourceWriter {
    private var out = ""
    private var prefixes: [String: String] = [:]  // uri → prefix
    private var declarations: [NamespaceDeclaration] = []

    /// Serialises a record.
    /// - Parameters:
    ///   - resource: the record.
    ///   - xmlDeclaration: whether to start with `<?xml version="1.0" encoding="UTF-8"?>`.
    /// - Returns: the XML text.
    public static func write(_ resource: Resource, xmlDeclaration: Bool = true) -> String {
        var w = VOResourceWriter()
        w.prepareNamespaces(resource)
        if xmlDeclaration { w.out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" }
        w.writeResource(resource)
        return w.out
    }

    private mutating func prepareNamespaces(_ r: Resource) {
        var usedPrefixes = Set<String>()
        // Children of a record are unqualified: a default namespace in scope at the record
        // (an OAI-PMH page or ri:VOResources declaring one) is not carried over.
        for d in r.namespaces where d.prefix != nil {
            declarations.append(d)
            if let p = d.prefix {
                usedPrefixes.insert(p)
                if prefixes[d.uri] == nil { prefixes[d.uri] = p }
            }
        }
        func ensure(_ prefix: String, _ uri: String) {
            if prefixes[uri] != nil { return }
            var p = prefix
            var n = 1
            while usedPrefixes.contains(p) {
                p = "\(prefix)\(n)"
                n += 1
            }
            usedPrefixes.insert(p)
            prefixes[uri] = p
            declarations.append(NamespaceDeclaration(prefix: p, uri: uri))
        }
        ensure("ri", XMLNamespaces.ri)
        ensure("xsi", XMLNamespaces.xsi)
        ensure("vr", XMLNamespaces.vr)
        // Namespaces of xsi:type values the model carries.
        var types: [QualifiedName] = []
        if let t = r.xsiType { types.append(t) }
        for cap in r.capabilities {
            if let t = cap.xsiType { types.append(t) }
            for i in cap.interfaces {
                if let t = i.xsiType { types.append(t) }
                for p in i.params { if let t = p.dataType?.xsiType { types.append(t) } }
            }
        }
        for s in r.tableset?.schemas ?? [] {
            for t in s.tables { for c in t.columns { if let t = c.dataType?.xsiType { types.append(t) } } }
        }
        for t in types {
            guard let ns = t.namespace else { continue }
            let canonical = XMLNamespaces.canonicalPrefix(for: ns) ?? t.writtenPrefix ?? "ns"
            ensure(canonical, ns)
        }
    }

    private func qname(_ q: QualifiedName) -> String {
        if let ns = q.namespace, let p = prefixes[ns] { return "\(p):\(q.local)" }
        return q.local
    }

    // MARK: - Elements

    private mutating func writeResource(_ r: Resource) {
        out += "<\(prefixes[XMLNamespaces.ri]!):Resource"
        for d in declarations {
            out += d.prefix.map { " xmlns:\($0)=\"" } ?? " xmlns=\""
            out += Self.escapeAttribute(d.uri) + "\""
        }
        if let t = r.xsiType { attr("\(prefixes[XMLNamespaces.xsi]!):type", qname(t)) }
        attr("created", r.created)
        attr("updated", r.updated)
        attr("status", r.status)
        attr("version", r.version)
        out += ">"
        for v in r.validationLevels { validation(v) }
        element("title", r.title)
        element("shortName", r.shortName)
        element("identifier", r.identifier)
        for a in r.altIdentifiers { element("altIdentifier", a) }
        curation(r.curation)
        content(r.content)
        for p in r.parts {
            switch p {
            case .capability(let c): capability(c)
            case .tableset(let t): tableset(t)
            case .coverage(let c): coverage(c)
            case .rights(let rights):
                open("rights", ["rightsURI": rights.rightsURI])
                out += Self.escapeText(rights.value) + "</rights>"
            case .table(let t): table(t)
            case .other(let raw): out += raw.xml
            }
        }
        out += "</\(prefixes[XMLNamespaces.ri]!):Resource>\n"
    }

    private mutating func validation(_ v: Validation) {
        open("validationLevel", ["validatedBy": v.validatedBy])
        out += Self.escapeText(v.level) + "</validationLevel>"
    }

    private mutating func name(_ tag: String, _ n: ResourceName?) {
        guard let n else { return }
        open(tag, ["ivo-id": n.ivoid])
        out += Self.escapeText(n.name) + "</\(tag)>"
    }

    private mutating func curation(_ c: Curation) {
        out += "<curation>"
        name("publisher", c.publisher)
        for cr in c.creators {
            open("creator", ["ivo-id": cr.ivoid])
            name("name", cr.name)
            element("logo", cr.logo)
            for a in cr.altIdentifiers { element("altIdentifier", a) }
            out += "</creator>"
        }
        for co in c.contributors { name("contributor", co) }
        for d in c.dates {
            open("date", ["role": d.role])
            out += Self.escapeText(d.value) + "</date>"
        }
        element("version", c.version)
        for ct in c.contacts {
            open("contact", ["ivo-id": ct.ivoid])
            name("name", ct.name)
            element("address", ct.address)
            element("email", ct.email)
            element("telephone", ct.telephone)
            for a in ct.altIdentifiers { element("altIdentifier", a) }
            out += "</contact>"
        }
        raws(c.extensions)
        out += "</curation>"
    }

    private mutating func content(_ c: Content) {
        out += "<content>"
        for s in c.subjects { element("subject", s) }
        element("description", c.description)
        if let s = c.source {
            open("source", ["format": s.format])
            out += Self.escapeText(s.value) + "</source>"
        }
        element("referenceURL", c.referenceURL)
        for t in c.types { element("type", t) }
        for l in c.contentLevels { element("contentLevel", l) }
        for rel in c.relationships {
            out += "<relationship>"
            element("relationshipType", rel.type)
            for r in rel.related { name("relatedResource", r) }
            out += "</relationship>"
        }
        raws(c.extensions)
        out += "</content>"
    }

    private mutating func capability(_ c: Capability) {
        var attrs: [(String, String?)] = []
        if let t = c.xsiType { attrs.append(("\(prefixes[XMLNamespaces.xsi]!):type", qname(t))) }
        attrs.append(("standardID", c.standardID))
        openOrdered("capability", attrs)
        for v in c.validationLevels { validation(v) }
        element("description", c.description)
        for i in c.interfaces { interface(i) }
        raws(c.extensions)
        out += "</capability>"
    }

    private mutating func interface(_ i: Interface) {
        var attrs: [(String, String?)] = []
        if let t = i.xsiType { attrs.append(("\(prefixes[XMLNamespaces.xsi]!):type", qname(t))) }
        attrs.append(("role", i.role))
        attrs.append(("version", i.version))
        openOrdered("interface", attrs)
        for a in i.accessURLs {
            open("accessURL", ["use": a.use])
            out += Self.escapeText(a.url) + "</accessURL>"
        }
        for m in i.mirrorURLs {
            open("mirrorURL", ["title": m.title])
            out += Self.escapeText(m.url) + "</mirrorURL>"
        }
        for s in i.securityMethods {
            open("securityMethod", ["standardID": s])
            out += "</securityMethod>"
        }
        element("testQueryString", i.testQueryString)
        for w in i.wsdlURLs { element("wsdlURL", w) }
        for q in i.queryTypes { element("queryType", q) }
        element("resultType", i.resultType)
        for p in i.params { param("param", p) }
        raws(i.testQueries)
        raws(i.extensions)
        out += "</interface>"
    }

    private mutating func param(_ tag: String, _ p: Param) {
        openOrdered(tag, [("std", p.std), ("use", p.use)])
        element("name", p.name)
        element("description", p.description)
        element("unit", p.unit)
        element("ucd", p.ucd)
        element("utype", p.utype)
        element("xtype", p.xtype)
        if let dt = p.dataType {
            var attrs: [(String, String?)] = []
            if let t = dt.xsiType { attrs.append(("\(prefixes[XMLNamespaces.xsi]!):type", qname(t))) }
            attrs += [
                ("arraysize", dt.arraysize), ("delim", dt.delim), ("extendedType", dt.extendedType),
                ("extendedSchema", dt.extendedSchema), ("size", dt.size),
            ]
            openOrdered("dataType", attrs)
            out += Self.escapeText(dt.value) + "</dataType>"
        }
        for f in p.flags { element("flag", f) }
        raws(p.extensions)
        out += "</\(tag)>"
    }

    private mutating func tableset(_ t: Tableset) {
        out += "<tableset>"
        for s in t.schemas {
            out += "<schema>"
            element("name", s.name)
            element("title", s.title)
            element("description", s.description)
            element("utype", s.utype)
            for tb in s.tables { table(tb) }
            raws(s.extensions)
            out += "</schema>"
        }
        raws(t.extensions)
        out += "</tableset>"
    }

    private mutating func table(_ t: Table) {
        open("table", ["type": t.type])
        element("name", t.name)
        element("title", t.title)
        element("description", t.description)
        element("utype", t.utype)
        element("nrows", t.nrows)
        for c in t.columns { param("column", c) }
        for fk in t.foreignKeys {
            out += "<foreignKey>"
            element("targetTable", fk.targetTable)
            for c in fk.columns {
                out += "<fkColumn>"
                element("fromColumn", c.from)
                element("targetColumn", c.target)
                out += "</fkColumn>"
            }
            element("description", fk.description)
            element("utype", fk.utype)
            out += "</foreignKey>"
        }
        raws(t.extensions)
        out += "</table>"
    }

    private mutating func coverage(_ c: Coverage) {
        out += "<coverage>"
        raws(c.leading)
        if let s = c.spatial {
            open("spatial", ["frame": c.spatialFrame])
            out += Self.escapeText(s) + "</spatial>"
        }
        for t in c.temporal { element("temporal", t) }
        for s in c.spectral { element("spectral", s) }
        if let f = c.footprint { out += f.xml }
        for w in c.wavebands { element("waveband", w) }
        element("regionOfRegard", c.regionOfRegard)
        raws(c.extensions)
        out += "</coverage>"
    }

    // MARK: - Primitives

    private mutating func raws(_ r: [RawElement]) {
        for e in r { out += e.xml }
    }

    private mutating func element(_ tag: String, _ value: String?) {
        guard let value else { return }
        out += "<\(tag)>" + Self.escapeText(value) + "</\(tag)>"
    }

    private mutating func open(_ tag: String, _ attrs: [String: String?]) {
        openOrdered(tag, attrs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    private mutating func openOrdered(_ tag: String, _ attrs: [(String, String?)]) {
        out += "<\(tag)"
        for (k, v) in attrs { attr(k, v) }
        out += ">"
    }

    private mutating func attr(_ name: String, _ value: String?) {
        guard let value else { return }
        out += " \(name)=\"" + Self.escapeAttribute(value) + "\""
    }

    /// Escapes character data.
    public static func escapeText(_ s: String) -> String { XMLEscaping.escape(s) }

    /// Escapes an attribute value (double-quoted).
    public static func escapeAttribute(_ s: String) -> String { XMLEscaping.escape(s, attribute: true) }
}
