import Discovery
import Foundation
import Hummingbird
import VOResource

/// The server-rendered web pages: search with facets, a resource page and the status page.
/// Plain HTML and a small embedded stylesheet; nothing needs JavaScript.
enum WebPage {
    /// The one escaping function of the pages (text and double-quoted attribute values).
    static func h(_ s: String) -> String { XMLEscaping.escape(s, attribute: true) }

    /// A query-string value, percent-encoded.
    static func q(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func resourceLink(_ ivoid: String) -> String { "/resources/" + RegistrySearch.pathEncode(ivoid) }

    static let css = """
        :root{color-scheme:light;--fg:#1b1b1b;--muted:#4a4a4a;--link:#0b4f9c;--line:#c8c8c8;--bg2:#f3f5f7}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
        header{background:#12355b;color:#fff;padding:.6rem 1rem}
        header a{color:#fff;margin-right:1.2rem;font-weight:600}
        main{max-width:72rem;margin:0 auto;padding:1rem}
        a{color:var(--link)} a:focus,button:focus,input:focus,select:focus{outline:3px solid #f2a900;outline-offset:1px}
        h1{font-size:1.6rem;margin:.4rem 0 1rem} h2{font-size:1.25rem;margin:1.6rem 0 .5rem} h3{font-size:1.05rem;margin:0 0 .2rem}
        form.search{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;background:var(--bg2);padding:.8rem;border-radius:6px}
        form.search label{display:flex;flex-direction:column;font-size:.9rem;font-weight:600;gap:.2rem}
        form.search .q{flex:1 1 20rem} input,select,button{font:inherit;padding:.4rem .5rem;border:1px solid #767676;border-radius:4px;background:#fff;color:var(--fg)}
        button{background:#12355b;color:#fff;border-color:#12355b;cursor:pointer}
        ol.results{list-style:none;padding:0} ol.results>li{border-bottom:1px solid var(--line);padding:.8rem 0}
        .meta{color:var(--muted);font-size:.9rem} code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88rem}
        code.url{background:var(--bg2);padding:.1rem .3rem;border-radius:3px;word-break:break-all;user-select:all}
        ul.endpoints{margin:.3rem 0 0;padding-left:1.1rem}
        table{border-collapse:collapse;width:100%;margin:.4rem 0} th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
        th{background:var(--bg2)} .scroll{overflow-x:auto}
        pre{background:var(--bg2);padding:.7rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem} dl.facts dt{font-weight:600}
        nav.pages{display:flex;gap:1rem;margin:1rem 0}
        @media (max-width:40rem){dl.facts{grid-template-columns:1fr} form.search label{flex:1 1 100%} header a{margin-right:.8rem}}
        """

    static func layout(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(h(title)) · VORegistry</title>
        <style>\(css)</style></head>
        <body><header><nav aria-label="Site"><a href="/">Search</a><a href="/status">Status</a><a href="/api/openapi.json">API</a><a href="/oai?verb=Identify">OAI-PMH</a></nav></header>
        <main id="main">
        \(body)
        </main></body></html>
        """
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func errorPage(_ status: HTTPResponse.Status, _ message: String) -> Response {
        html(status, layout(title: "Error", body: "<h1>\(status.code == 404 ? "Not found" : "Cannot do that")</h1><p role=\"alert\">\(h(message))</p><p><a href=\"/\">Back to the search</a></p>"))
    }

    // MARK: search page

    static func select(_ name: String, _ label: String, _ values: [FacetValue], selected: String?) -> String {
        var opts = "<option value=\"\">any</option>"
        var seen = false
        for v in values {
            let sel = v.value == selected
            seen = seen || sel
            opts += "<option value=\"\(h(v.value))\"\(sel ? " selected" : "")>\(h(v.label)) (\(v.count))</option>"
        }
        if let s = selected, !seen { opts += "<option value=\"\(h(s))\" selected>\(h(s)) (0)</option>" }
        return "<label for=\"f-\(name)\">\(h(label))<select id=\"f-\(name)\" name=\"\(name)\">\(opts)</select></label>"
    }

    static func searchPage(request: SearchRequest, response: SearchResponse?, error: String?) -> String {
        var b = "<h1>Find services and data in the Virtual Observatory</h1>"
        let f = response?.facets ?? Facets()
        b += "<form class=\"search\" role=\"search\" method=\"get\" action=\"/\">"
        b += "<label class=\"q\" for=\"q\">Search words, \"phrases\", -excluded<input type=\"search\" id=\"q\" name=\"q\" value=\"\(h(request.q))\" placeholder=\"e.g. Gaia DR3 TAP\"></label>"
        b += select("servicetype", "Service type", f.servicetype, selected: request.serviceType?.rawValue)
        b += select("waveband", "Waveband", f.waveband, selected: request.waveband)
        b += select("authority", "Authority", f.authority, selected: request.authority)
        b += select("type", "Resource type", f.type, selected: request.type)
        b += "<button type=\"submit\">Search</button></form>"
        if let error { b += "<p role=\"alert\"><strong>\(h(error))</strong></p>" }
        guard let r = response else { return layout(title: "Search", body: b) }
        b += "<h2 id=\"results\">\(r.total) resource\(r.total == 1 ? "" : "s")\(r.q.isEmpty ? "" : " for “\(h(r.q))”")</h2>"
        if r.total == 0 { b += "<p>Nothing matches. Try fewer words or remove a filter.</p>" }
        b += "<ol class=\"results\" aria-labelledby=\"results\">"
        for item in r.results {
            b += "<li><h3><a href=\"\(h(resourceLink(item.ivoid)))\">\(h(item.title))</a></h3>"
            var meta = [item.type ?? "resource"]
            if let p = item.publisher { meta.append(p) }
            if !item.wavebands.isEmpty { meta.append(item.wavebands.joined(separator: ", ")) }
            b += "<div class=\"meta\">\(h(meta.joined(separator: " · "))) · <code>\(h(item.ivoid))</code></div>"
            if !item.description.isEmpty { b += "<p>\(h(item.description))</p>" }
            let endpoints = item.capabilities.flatMap { c in
                c.interfaces.compactMap { i in i.accessURL.map { (c, i, $0) } }
            }
            if !endpoints.isEmpty {
                b += "<ul class=\"endpoints\" aria-label=\"Access URLs\">"
                for (c, i, url) in endpoints.prefix(8) {
                    let name = c.serviceType.flatMap { ServiceType(rawValue: $0)?.label } ?? c.standardId ?? "web"
                    b += "<li>\(h(name))\(i.type.map { " (\(h($0)))" } ?? ""): <code class=\"url\">\(h(url))</code></li>"
                }
                b += "</ul>"
            }
            b += "</li>"
        }
        b += "</ol>"
        if r.pages > 1 {
            var base = "/?q=\(q(r.q))"
            for (k, v) in r.filters.sorted(by: { $0.key < $1.key }) { base += "&\(k)=\(q(v))" }
            b += "<nav class=\"pages\" aria-label=\"Result pages\">"
            if r.page > 1 { b += "<a rel=\"prev\" href=\"\(h(base + "&page=\(r.page - 1)"))\">Previous</a>" }
            b += "<span>Page \(r.page) of \(r.pages)</span>"
            if r.page < r.pages { b += "<a rel=\"next\" href=\"\(h(base + "&page=\(r.page + 1)"))\">Next</a>" }
            b += "</nav>"
        }
        return layout(title: r.q.isEmpty ? "Search" : r.q, body: b)
    }
}
