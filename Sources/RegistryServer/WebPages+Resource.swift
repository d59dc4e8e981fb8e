import Discovery
import Foundation
import Hummingbird

extension WebPage {
    static func fact(_ name: String, _ value: String?) -> String {
        guard let v = value, !v.isEmpty else { return "" }
        return "<dt>\(h(name))</dt><dd>\(h(v))</dd>"
    }

    /// The resource page: description, endpoints, tables with columns, contacts, related
    /// resources, dates and the raw XML.
    static func resourcePage(_ d: ResourceDetail, xml: String?) -> String {
        var b = "<h1>\(h(d.title))</h1><dl class=\"facts\">"
        b += "<dt>Identifier</dt><dd><code class=\"url\">\(h(d.identifier))</code></dd>"
        b += fact("Short name", d.shortName) + fact("Type", d.type) + fact("Publisher", d.publisher)
        b += fact("Creators", d.creators.joined(separator: "; ")) + fact("Version", d.version)
        b += fact("Subjects", d.subjects.joined(separator: ", ")) + fact("Wavebands", d.wavebands.joined(separator: ", "))
        b += fact("Content", (d.contentTypes + d.contentLevels).joined(separator: ", "))
        if let u = d.referenceURL { b += "<dt>More information</dt><dd><a href=\"\(h(u))\">\(h(u))</a></dd>" }
        b += fact("Rights", d.rights) + "</dl>"
        if let desc = d.description {
            b += "<h2>Description</h2>"
            for p in desc.components(separatedBy: "\n\n") where !p.trimmingCharacters(in: .whitespaces).isEmpty {
                b += "<p>\(h(p))</p>"
            }
        }
        b += "<h2>Capabilities and endpoints</h2>"
        if d.capabilities.isEmpty {
            b += "<p>This resource has no service endpoints.</p>"
        } else {
            b += "<div class=\"scroll\"><table><caption class=\"meta\">Copy an access URL into your VO client.</caption><thead><tr><th scope=\"col\">Service</th><th scope=\"col\">Standard</th><th scope=\"col\">Interface</th><th scope=\"col\">Access URL</th></tr></thead><tbody>"
            for c in d.capabilities {
                let name = c.serviceType.flatMap { ServiceType(rawValue: $0)?.label } ?? c.type ?? "capability"
                let intfs = c.interfaces.isEmpty ? [nil] : c.interfaces.map { Optional($0) }
                for i in intfs {
                    var cell = i?.accessURL.map { "<code class=\"url\">\(h($0))</code>" } ?? ""
                    if i?.authenticatedOnly == true { cell += " <span class=\"meta\">(authentication required)</span>" }
                    let intf = [i?.type, i?.role.map { "role \($0)" }, i?.version.map { "v\($0)" }].compactMap { $0 }
                    b += "<tr><td>\(h(name))</td><td>\(h(c.standardId ?? "—"))</td><td>\(h(intf.joined(separator: ", ")))</td><td>\(cell)</td></tr>"
                }
            }
            b += "</tbody></table></div>"
        }
        if !d.tables.isEmpty {
            b += "<h2>Tables</h2>"
            for t in d.tables {
                let name = t.name ?? t.title ?? "table"
                b += "<details><summary><strong>\(h(name))</strong>\(t.title.map { " — \(h($0))" } ?? "") (\(t.columns.count) columns\(t.nrows.map { ", \($0) rows" } ?? ""))</summary>"
                if let desc = t.description { b += "<p>\(h(desc))</p>" }
                if !t.columns.isEmpty {
                    b += "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Column</th><th scope=\"col\">Unit</th><th scope=\"col\">UCD</th><th scope=\"col\">Type</th><th scope=\"col\">Description</th></tr></thead><tbody>"
                    for c in t.columns {
                        b += "<tr><td><code>\(h(c.name))</code></td><td>\(h(c.unit ?? ""))</td><td>\(h(c.ucd ?? ""))</td><td>\(h(c.datatype ?? ""))</td><td>\(h(c.description ?? ""))</td></tr>"
                    }
                    b += "</tbody></table></div>"
                }
                b += "</details>"
            }
        }
        let contacts = d.contacts.filter { $0.role == "contact" }
        if !contacts.isEmpty {
            b += "<h2>Contact</h2><ul>"
            for c in contacts {
                var parts = [h(c.name ?? "contact")]
                if let e = c.email { parts.append("<a href=\"mailto:\(h(e))\">\(h(e))</a>") }
                if let t = c.telephone { parts.append(h(t)) }
                if let a = c.address { parts.append(h(a)) }
                b += "<li>\(parts.joined(separator: " · "))</li>"
            }
            b += "</ul>"
        }
        if !d.relationships.isEmpty {
            b += "<h2>Related resources</h2><ul>"
            for r in d.relationships {
                let label = h(r.relatedName ?? r.relatedId ?? "")
                let link = r.relatedId.map { "<a href=\"\(h(resourceLink($0)))\">\(label)</a>" } ?? label
                b += "<li>\(h(r.type)): \(link)</li>"
            }
            b += "</ul>"
        }
        b += "<h2>Dates</h2><dl class=\"facts\">"
        b += fact("Created", d.created) + fact("Updated", d.updated) + fact("Last changed here", d.datestamp)
        for x in d.dates { b += fact(x.role.map { "Date (\($0))" } ?? "Date", x.date) }
        b += "</dl><h2>VOResource record</h2><p><a href=\"\(h(d.xmlURL))\">Download the XML</a> · <a href=\"/api/resources/\(h(RegistrySearch.pathEncode(d.identifier)))\">JSON</a></p>"
        if let xml { b += "<details><summary>Show the raw XML</summary><pre>\(h(xml))</pre></details>" }
        return layout(title: d.title, body: b)
    }

    /// The status page: records by type, status, visibility and origin; the peers.
    static func statusPage(_ s: RegistryStatus) -> String {
        func table(_ caption: String, _ head: String, _ rows: [RegistryStatus.Count]) -> String {
            var t = "<h2>\(h(caption))</h2><table><thead><tr><th scope=\"col\">\(h(head))</th><th scope=\"col\">Records</th></tr></thead><tbody>"
            for r in rows { t += "<tr><td>\(h(r.value))</td><td>\(r.count)</td></tr>" }
            return t + "</tbody></table>"
        }
        var b = "<h1>Registry status</h1><p>\(s.total) records.</p>"
        b += table("Records by type", "Type", s.byType) + table("Records by status", "Status", s.byStatus)
        b += table("Records by visibility", "Visibility", s.byVisibility) + table("Records by origin", "Origin", s.byOrigin)
        b += "<h2>Peer registries</h2>"
        if let p = s.peers, !p.rows.isEmpty {
            b += "<div class=\"scroll\"><table><thead><tr>"
            for c in p.columns { b += "<th scope=\"col\">\(h(c))</th>" }
            b += "</tr></thead><tbody>"
            for r in p.rows { b += "<tr>" + r.map { "<td>\(h($0 ?? ""))</td>" }.joined() + "</tr>" }
            b += "</tbody></table></div>"
        } else {
            b += "<p>No peers configured.</p>"
        }
        return layout(title: "Status", body: b)
    }
}

extension DiscoveryRoutes {
    func searchPage(_ request: Request) async -> Response {
        let params = Self.parameters(request)
        let search = self.search, withInternal = includeInternal
        var parsed = SearchRequest()
        do { parsed = try SearchRequest(parameters: params) } catch {
            let msg = (error as? DiscoveryError)?.message ?? "bad request"
            return WebPage.html(.badRequest, WebPage.searchPage(request: parsed, response: nil, error: msg))
        }
        let req = parsed
        switch await blocking({ try search.search(req, includeInternal: withInternal) }) {
        case .success(let r): return WebPage.html(.ok, WebPage.searchPage(request: req, response: r, error: nil))
        case .failure(let e):
            logger.error("search page failed", metadata: ["error": "\(e)"])
            return WebPage.errorPage(.internalServerError, "The registry's store failed; please retry later.")
        }
    }

    func resourcePage(_ request: Request, prefix: String) async -> Response {
        let id = Self.identifier(request, prefix: prefix)
        let search = self.search, withInternal = includeInternal
        let result = await blocking {
            (try search.resource(id, includeInternal: withInternal), try? search.resourceXML(id, includeInternal: withInternal))
        }
        switch result {
        case .success(let (d, xml)): return WebPage.html(.ok, WebPage.resourcePage(d, xml: xml))
        case .failure(let e as DiscoveryError): return WebPage.errorPage(.notFound, e.message)
        case .failure(let e):
            logger.error("resource page failed", metadata: ["error": "\(e)"])
            return WebPage.errorPage(.internalServerError, "The registry's store failed; please retry later.")
        }
    }

    func statusPage() async -> Response {
        let search = self.search, withInternal = includeInternal
        switch await blocking({ try search.status(includeInternal: withInternal) }) {
        case .success(let s): return WebPage.html(.ok, WebPage.statusPage(s))
        case .failure(let e):
            logger.error("status page failed", metadata: ["error": "\(e)"])
            return WebPage.errorPage(.internalServerError, "The registry's store failed; please retry later.")
        }
    }
}
