/// Writes an OAI-PMH 2.0 response document, chunk by chunk, to a sink (so a server can stream
/// it). Callers open the document, write one verb element or errors, and close it.
public struct OAIResponseWriter {
    let sink: (String) -> Void
    let baseURL: String

    /// Creates a writer for responses served at `baseURL`.
    public init(baseURL: String, sink: @escaping (String) -> Void) {
        self.baseURL = baseURL
        self.sink = sink
    }

    /// The XML declaration, root element, responseDate and request element.
    /// - Parameter request: verb and arguments to echo; nil after badVerb/badArgument.
    public func begin(responseDate: Int64, request: [(name: String, value: String)]?) {
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
            <responseDate>\(OAIDate.format(responseDate))</responseDate>
            <request
            """
        for (name, value) in request ?? [] { s += " \(name)=\"\(XMLText.escape(value, attribute: true))\"" }
        sink(s + ">\(XMLText.escape(baseURL))</request>\n")
    }

    /// Closes the document.
    public func end() { sink("</OAI-PMH>\n") }

    /// One `error` element per error.
    public func errors(_ errors: [OAIError]) {
        sink(errors.map { "<error code=\"\($0.code)\">\(XMLText.escape($0.message))</error>\n" }.joined())
    }

    /// Opens the verb element.
    public func open(_ verb: OAIVerb) { sink("<\(verb.rawValue)>\n") }
    /// Closes the verb element.
    public func close(_ verb: OAIVerb) { sink("</\(verb.rawValue)>\n") }

    /// The Identify element's content.
    public func identify(_ c: OAIConfiguration, earliestDatestamp: Int64) {
        var s = "<repositoryName>\(XMLText.escape(c.repositoryName))</repositoryName>\n"
        s += "<baseURL>\(XMLText.escape(c.baseURL))</baseURL>\n<protocolVersion>2.0</protocolVersion>\n"
        for e in c.adminEmails { s += "<adminEmail>\(XMLText.escape(e))</adminEmail>\n" }
        s += "<earliestDatestamp>\(OAIDate.format(earliestDatestamp))</earliestDatestamp>\n"
        s += "<deletedRecord>persistent</deletedRecord>\n<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>\n"
        if let xml = c.registryRecordXML { s += "<description>\(RecordXML.embeddable(xml))</description>\n" }
        sink(s)
    }

    /// One metadataFormat element.
    public func metadataFormat(_ f: OAIMetadataFormat) {
        sink(
            "<metadataFormat><metadataPrefix>\(f.rawValue)</metadataPrefix><schema>\(f.schema)</schema>"
                + "<metadataNamespace>\(f.namespace)</metadataNamespace></metadataFormat>\n")
    }

    /// One set element.
    public func set(spec: String, name: String) {
        sink("<set><setSpec>\(XMLText.escape(spec))</setSpec><setName>\(XMLText.escape(name))</setName></set>\n")
    }

    /// A header element (status="deleted" for deleted items).
    public func header(_ item: OAIItem) { sink(headerXML(item)) }

    /// A record element: the header, and the metadata unless the item is deleted.
    public func record(_ item: OAIItem, format: OAIMetadataFormat) {
        guard !item.isDeleted, let xml = item.xml else {
            sink("<record>" + headerXML(item) + "</record>\n")
            return
        }
        let payload: String
        switch format {
        case .ivoVOR: payload = RecordXML.embeddable(xml)
        case .oaiDC: payload = DublinCore.element(forRecordXML: xml) ?? DublinCore.fallback(item)
        }
        sink("<record>" + headerXML(item) + "<metadata>")
        sink(payload)
        sink("</metadata></record>\n")
    }

    /// A resumptionToken element; an empty token (nil) ends a list that had tokens.
    public func resumptionToken(_ token: String?, cursor: Int, completeListSize: Int, expirationDate: Int64?) {
        var s = "<resumptionToken"
        if let expirationDate { s += " expirationDate=\"\(OAIDate.format(expirationDate))\"" }
        s += " completeListSize=\"\(completeListSize)\" cursor=\"\(cursor)\""
        sink(s + (token.map { ">\($0)</resumptionToken>\n" } ?? "/>\n"))
    }

    func headerXML(_ item: OAIItem) -> String {
        var s = item.isDeleted ? "<header status=\"deleted\">" : "<header>"
        s += "<identifier>\(XMLText.escape(item.identifier))</identifier>"
        s += "<datestamp>\(OAIDate.format(item.datestamp))</datestamp>"
        if item.isManaged { s += "<setSpec>\(OAISets.managed)</setSpec>" }
        return s + "</header>"
    }
}
