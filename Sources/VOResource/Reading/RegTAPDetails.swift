import Foundation

/// The `rr.res_detail` mapping: the xpaths RegTAP 1.2 (appendix "res_detail xpaths") lists,
/// evaluated on a record's element tree.
///
/// Paths starting with `/capability/` are evaluated on each capability (the pair carries its
/// 1-based index); the others on the resource element. Every matching node gives one pair,
/// whitespace-stripped; empty values are skipped (RegTAP maps empty strings to NULL, and a
/// NULL detail carries no information).
public enum RegTAPDetails {
    /// Resource-level xpaths (RegTAP 1.2, appendix A).
    public static let resourcePaths: [String] = [
        "/accessURL",
        "/coverage/footprint",
        "/coverage/footprint/@ivo-id",
        "/deprecated",
        "/endorsedVersion",
        "/facility",
        "/format",
        "/format/@isMIMEType",
        "/full",
        "/instrument",
        "/instrument/@ivo-id",
        "/managedAuthority",
        "/managingOrg",
        "/rights",
        "/rights/@rightsURI",
        "/schema/@namespace",
    ]

    /// Capability-level xpaths (RegTAP 1.2, appendix A).
    public static let capabilityPaths: [String] = [
        "/capability/executionDuration/hard",
        "/capability/complianceLevel",
        "/capability/creationType",
        "/capability/dataModel",
        "/capability/dataModel/@ivo-id",
        "/capability/dataSource",
        "/capability/defaultMaxRecords",
        "/capability/executionDuration/default",
        "/capability/imageServiceType",
        "/capability/interface/securityMethod/@standardID",
        "/capability/interface/testQueryString",
        "/capability/language/name",
        "/capability/language/version/@ivo-id",
        "/capability/maxAperture",
        "/capability/maxFileSize",
        "/capability/maxImageExtent/lat",
        "/capability/maxImageExtent/long",
        "/capability/maxImageSize/lat",
        "/capability/maxImageSize/long",
        "/capability/maxImageSize",
        "/capability/maxQueryRegionSize/lat",
        "/capability/maxQueryRegionSize/long",
        "/capability/maxRecords",
        "/capability/maxSearchRadius",
        "/capability/maxSR",
        "/capability/outputFormat/@ivo-id",
        "/capability/outputFormat/alias",
        "/capability/outputFormat/mime",
        "/capability/outputLimit/default",
        "/capability/outputLimit/default/@unit",
        "/capability/outputLimit/hard",
        "/capability/outputLimit/hard/@unit",
        "/capability/retentionPeriod/default",
        "/capability/retentionPeriod/hard",
        "/capability/supportedFrame",
        "/capability/testQuery/catalog",
        "/capability/testQuery/dec",
        "/capability/testQuery/extras",
        "/capability/testQuery/pos/lat",
        "/capability/testQuery/pos/long",
        "/capability/testQuery/pos/refframe",
        "/capability/testQuery/queryDataCmd",
        "/capability/testQuery/ra",
        "/capability/testQuery/size",
        "/capability/testQuery/size/lat",
        "/capability/testQuery/size/long",
        "/capability/testQuery/sr",
        "/capability/testQuery/verb",
        "/capability/uploadLimit/default",
        "/capability/uploadLimit/default/@unit",
        "/capability/uploadLimit/hard",
        "/capability/uploadLimit/hard/@unit",
        "/capability/uploadMethod/@ivo-id",
        "/capability/verbosity",
    ]

    private struct Step {
        var element: String?
        var attribute: String?
    }

    private static func compile(_ path: String, dropFirst: Int) -> [Step] {
        let parts = path.split(separator: "/").dropFirst(dropFirst)
        return parts.map { p in
            p.hasPrefix("@") ? Step(element: nil, attribute: String(p.dropFirst())) : Step(element: String(p), attribute: nil)
        }
    }

    private static let compiledResource = resourcePaths.map { ($0, compile($0, dropFirst: 0)) }
    private static let compiledCapability = capabilityPaths.map { ($0, compile($0, dropFirst: 1)) }

    /// All `res_detail` pairs of a record element.
    public static func extract(from resource: XMLElement) -> [Detail] {
        var out: [Detail] = []
        for (path, steps) in compiledResource {
            collect(resource, steps[...]) { out.append(Detail(capabilityIndex: nil, xpath: path, value: $0)) }
        }
        var capIndex = 0
        resource.forEachChild { c in
            guard c.name == "capability" else { return }
            capIndex += 1
            for (path, steps) in compiledCapability {
                collect(c, steps[...]) { out.append(Detail(capabilityIndex: capIndex, xpath: path, value: $0)) }
            }
        }
        return out
    }

    private static func collect(_ e: XMLElement, _ steps: ArraySlice<Step>, _ emit: (String) -> Void) {
        guard let step = steps.first else {
            emitValue(e.text, emit)
            return
        }
        if let attr = step.attribute {
            if let v = e.attribute(attr) { emitValue(v, emit) }
            return
        }
        let name = step.element!
        let rest = steps.dropFirst()
        e.forEachChild { c in
            if c.hasName(name) { collect(c, rest, emit) }
        }
    }

    private static func emitValue(_ v: String, _ emit: (String) -> Void) {
        let t = v.xmlTrimmed
        if !t.isEmpty { emit(t) }
    }
}
