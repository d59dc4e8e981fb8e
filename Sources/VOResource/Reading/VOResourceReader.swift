import Foundation

/// Why a single record was not accepted.
public struct RecordError: Error, CustomStringConvertible, Sendable, Equatable {
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

/// Reads a VOResource record element (`ri:Resource`, `vr:Resource`) into a ``Resource``.
public enum VOResourceReader {
    /// Namespaces a record's root element may be in.
    public static let recordNamespaces: Set<String> = [XMLNamespaces.ri, XMLNamespaces.vr]

    /// Reads one record.
    /// - Parameter element: the record's root element.
    /// - Returns: the record, with its `res_detail` pairs.
    /// - Throws: ``RecordError`` when the element is not a VOResource record or lacks an identifier.
    public static func read(_ element: XMLElement) throws(RecordError) -> Resource {
        guard let ns = element.namespace, recordNamespaces.contains(ns), element.name == "Resource" else {
            let qn = "{\(element.namespace ?? "")}\(element.name)"
            throw RecordError(
                line: element.line,
                "root element \(qn) is not a VOResource record (expected {\(XMLNamespaces.ri)}Resource)")
        }
        var identifier: String?
        var r = Resource(identifier: "")
        r.xsiType = element.xsiType
        r.created = element.attribute("created")
        r.updated = element.attribute("updated")
        r.status = element.attribute("status")
        r.version = element.attribute("version")
        r.namespaces = element.namespacesInScope.map { NamespaceDeclaration(prefix: $0.prefix, uri: $0.uri) }
        var afterContent = false
        element.forEachChild { c in
            if afterContent {
                r.parts.append(readPart(c))
                return
            }
            switch c.name {
            case "validationLevel": r.validationLevels.append(readValidation(c))
            case "title": r.title = c.text
            case "shortName": r.shortName = c.text
            case "identifier": identifier = c.text.xmlTrimmed
            case "altIdentifier": r.altIdentifiers.append(c.text)
            case "curation": r.curation = readCuration(c)
            case "content":
                r.content = readContent(c)
                afterContent = true
            default:
                // Elements before content that the model does not know (invalid records):
                // keep them with the extension part rather than lose them.
                r.parts.append(.other(RawElement(name: c.name, xml: c.serialized())))
            }
        }
        guard let identifier, !identifier.isEmpty else {
            throw RecordError(line: element.line, "record has no identifier")
        }
        r.identifier = identifier
        r.details = RegTAPDetails.extract(from: element)
        return r
    }

    static func readValidation(_ e: XMLElement) -> Validation {
        Validation(level: e.text, validatedBy: e.attribute("validatedBy"))
    }

    static func readName(_ e: XMLElement) -> ResourceName {
        ResourceName(name: e.text, ivoid: e.attribute("ivo-id"))
    }

    static func readCuration(_ e: XMLElement) -> Curation {
        var cur = Curation()
        e.forEachChild { c in
            switch c.name {
            case "publisher": cur.publisher = readName(c)
            case "creator":
                var name = ResourceName(name: "")
                var logo: String?
                var alts: [String] = []
                c.forEachChild { x in
                    switch x.name {
                    case "name": name = readName(x)
                    case "logo": logo = x.text
                    case "altIdentifier": alts.append(x.text)
                    default: break
                    }
                }
                var creator = Creator(name: name, logo: logo)
                creator.ivoid = c.attribute("ivo-id")
                creator.altIdentifiers = alts
                cur.creators.append(creator)
            case "contributor": cur.contributors.append(readName(c))
            case "date": cur.dates.append(DateValue(value: c.text, role: c.attribute("role")))
            case "version": cur.version = c.text
            case "contact":
                var contact = Contact()
                contact.ivoid = c.attribute("ivo-id")
                c.forEachChild { x in
                    switch x.name {
                    case "name": contact.name = readName(x)
                    case "address": contact.address = x.text
                    case "email": contact.email = x.text
                    case "telephone": contact.telephone = x.text
                    case "altIdentifier": contact.altIdentifiers.append(x.text)
                    default: break
                    }
                }
                cur.contacts.append(contact)
            default: cur.extensions.append(RawElement(name: c.name, xml: c.serialized()))
            }
        }
        return cur
    }

    static func readContent(_ e: XMLElement) -> Content {
        var content = Content()
        e.forEachChild { c in
            switch c.name {
            case "subject": content.subjects.append(c.text)
            case "description": content.description = c.text
            case "source": content.source = Source(value: c.text, format: c.attribute("format"))
            case "referenceURL": content.referenceURL = c.text
            case "type": content.types.append(c.text)
            case "contentLevel": content.contentLevels.append(c.text)
            case "relationship":
                var type = ""
                var related: [ResourceName] = []
                c.forEachChild { x in
                    if x.name == "relationshipType" { type = x.text }
                    if x.name == "relatedResource" { related.append(readName(x)) }
                }
                content.relationships.append(Relationship(type: type, related: related))
            default: content.extensions.append(RawElement(name: c.name, xml: c.serialized()))
            }
        }
        return content
    }

    static func readPart(_ c: XMLElement) -> ResourcePart {
        switch c.name {
        case "capability": return .capability(readCapability(c))
        case "tableset": return .tableset(readTableset(c))
        case "coverage": return .coverage(readCoverage(c))
        case "rights": return .rights(Rights(value: c.text, rightsURI: c.attribute("rightsURI")))
        case "table": return .table(readTable(c))
        default: return .other(RawElement(name: c.name, xml: c.serialized()))
        }
    }

    static func readCapability(_ e: XMLElement) -> Capability {
        var cap = Capability(standardID: e.attribute("standardID"), xsiType: e.xsiType)
        e.forEachChild { c in
            switch c.name {
            case "validationLevel": cap.validationLevels.append(readValidation(c))
            case "description": cap.description = c.text
            case "interface": cap.interfaces.append(readInterface(c))
            default: cap.extensions.append(RawElement(name: c.name, xml: c.serialized()))
            }
        }
        return cap
    }

    static func readInterface(_ e: XMLElement) -> Interface {
        var intf = Interface(xsiType: e.xsiType, role: e.attribute("role"))
        intf.version = e.attribute("version")
        e.forEachChild { c in
            switch c.name {
            case "accessURL": intf.accessURLs.append(AccessURL(url: c.text, use: c.attribute("use")))
            case "mirrorURL": intf.mirrorURLs.append(MirrorURL(url: c.text, title: c.attribute("title")))
            case "securityMethod": intf.securityMethods.append(c.attribute("standardID"))
            case "testQueryString": intf.testQueryString = c.text
            case "wsdlURL": intf.wsdlURLs.append(c.text)
            case "queryType": intf.queryTypes.append(c.text)
            case "resultType": intf.resultType = c.text
            case "param": intf.params.append(readParam(c))
            case "testQuery": intf.testQueries.append(RawElement(name: c.name, xml: c.serialized()))
            default: intf.extensions.append(RawElement(name: c.name, xml: c.serialized()))
            }
        }
        return intf
    }

    static func readParam(_ e: XMLElement) -> Param {
        var p = Param(name: "")
        p.std = e.attribute("std")
        p.use = e.attribute("use")
        e.forEachChild { c in
            switch c.name {
            case "name": p.name = c.text
            case "description": p.description = c.text
            case "unit": p.unit = c.text
            case "ucd": p.ucd = c.text
            case "utype": p.utype = c.text
            case "xtype": p.xtype = c.text
            case "dataType":
                var dt = DataType(value: c.text, xsiType: c.xsiType)
                dt.arraysize = c.attribute("arraysize")
                dt.delim = c.attribute("delim")
                dt.extendedType = c.attribute("extendedType")
                dt.extendedSchema = c.attribute("extendedSchema")
                dt.size = c.attribute("size")
                p.dataType = dt
            case "flag": p.flags.append(c.text)
            default: p.extensions.append(RawElement(name: c.name, xml: c.serialized()))
            }
        }
        return p
    }

    static func readTableset(_ e: XMLElement) -> Tableset {
        var ts = Tableset()
        e.forEachChild { c in
            if c.name == "schema" {
                var s = TableSchema(name: "")
                c.forEachChild { x in
                    switch x.name {
                    case "name": s.name = x.text
                    case "title": s.title = x.text
                    case "description": s.description = x.text
                    case "utype": s.utype = x.text
                    case "table": s.tables.append(readTable(x))
                    default: s.extensions.append(RawElement(name: x.name, xml: x.serialized()))
                    }
                }
                ts.schemas.append(s)
            } else {
                ts.extensions.append(RawElement(name: c.name, xml: c.serialized()))
            }
        }
        return ts
    }

    static func readTable(_ e: XMLElement) -> Table {
        var t = Table(name: "")
        t.type = e.attribute("type")
        e.forEachChild { c in
            switch c.name {
            case "name": t.name = c.text
            case "title": t.title = c.text
            case "description": t.description = c.text
            case "utype": t.utype = c.text
            case "nrows": t.nrows = c.text
            case "column": t.columns.append(readParam(c))
            case "foreignKey":
                var target = ""
                var cols: [(from: String, target: String)] = []
                var fk = ForeignKey(targetTable: "", columns: [])
                c.forEachChild { x in
                    switch x.name {
                    case "targetTable": target = x.text
                    case "fkColumn":
                        cols.append(
                            (x.child(named: "fromColumn")?.text ?? "", x.child(named: "targetColumn")?.text ?? ""))
                    case "description": fk.description = x.text
                    case "utype": fk.utype = x.text
                    default: break
                    }
                }
                fk.targetTable = target
                fk.columns = cols
                t.foreignKeys.append(fk)
            default: t.extensions.append(RawElement(name: c.name, xml: c.serialized()))
            }
        }
        return t
    }

    static func readCoverage(_ e: XMLElement) -> Coverage {
        var cov = Coverage()
        var seenKnown = false
        e.forEachChild { c in
            switch c.name {
            case "spatial":
                cov.spatial = c.text
                cov.spatialFrame = c.attribute("frame")
                seenKnown = true
            case "temporal":
                cov.temporal.append(c.text)
                seenKnown = true
            case "spectral":
                cov.spectral.append(c.text)
                seenKnown = true
            case "footprint":
                cov.footprint = RawElement(name: c.name, xml: c.serialized())
                seenKnown = true
            case "waveband":
                cov.wavebands.append(c.text)
                seenKnown = true
            case "regionOfRegard":
                cov.regionOfRegard = c.text
                seenKnown = true
            default:
                if seenKnown {
                    cov.extensions.append(RawElement(name: c.name, xml: c.serialized()))
                } else {
                    cov.leading.append(RawElement(name: c.name, xml: c.serialized()))
                }
            }
        }
        return cov
    }
}
