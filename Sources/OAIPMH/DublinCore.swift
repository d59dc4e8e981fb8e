import Foundation
import VOResource

/// Unqualified Dublin Core (`oai_dc`) derived from a VOResource record.
enum DublinCore {
    /// The `oai_dc:dc` element for a stored record; nil when the XML cannot be read.
    static func element(forRecordXML xml: String) -> String? {
        guard let doc = try? XMLDocument(data: Data(xml.utf8), url: "record"), let root = doc.root,
            let r = try? VOResourceReader.read(root)
        else { return nil }
        return element(for: r)
    }

    /// The `oai_dc:dc` element for a record: title, identifier, creator, subject, description,
    /// publisher, contributor, date and type.
    static func element(for r: Resource) -> String {
        var out = """
            <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
            """
        func add(_ name: String, _ values: [String?]) {
            for v in values {
                guard let t = v.map(normalised), !t.isEmpty else { continue }
                out += "<dc:\(name)>\(XMLText.escape(t))</dc:\(name)>"
            }
        }
        let c = r.curation
        add("title", [r.title])
        add("identifier", [r.identifier])
        add("creator", c.creators.map { $0.name.name })
        add("subject", r.content.subjects)
        add("description", [r.content.description])
        add("publisher", [c.publisher?.name])
        add("contributor", c.contributors.map { $0.name })
        add("date", c.dates.map { $0.value })
        add("type", r.content.types)
        return out + "</oai_dc:dc>"
    }

    /// Whitespace runs collapsed to one space, ends trimmed.
    static func normalised(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}

extension DublinCore {
    /// Dublin Core with the identifier only, for a stored record that cannot be read.
    static func fallback(_ item: OAIItem) -> String {
        element(for: VOResource.Resource(identifier: item.identifier))
    }
}
