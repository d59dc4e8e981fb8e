extension OAIProvider {
    /// ListIdentifiers and ListRecords: a first request counts the list, every page is read
    /// by keyset after the token's last (datestamp, ivoid).
    func list(
        _ request: OAIRequest, _ list: OAIListRequest, verb: OAIVerb, now: Int64, writer w: OAIResponseWriter,
        start: () -> Void
    ) throws {
        let c = configuration
        var state: ResumptionToken
        switch list {
        case .resume(let text):
            state = try ResumptionToken.decode(text, now: now, lifetime: c.tokenLifetime)
            guard state.verb == verb else {
                throw OAIError.badResumptionToken("the resumption token belongs to \(state.verb.rawValue)")
            }
            if state.set != nil && c.managedAuthorities.isEmpty {
                throw OAIError.badResumptionToken("the resumption token names a set this repository no longer has")
            }
        case .initial(let a):
            _ = try Self.format(a.metadataPrefix)
            if let set = a.set {
                guard !c.managedAuthorities.isEmpty else { throw OAIError.noSetHierarchy("this repository has no sets") }
                guard set == OAISets.managed else { throw OAIError.noRecordsMatch("there is no set \(set)") }
            }
            state = ResumptionToken(
                verb: verb, metadataPrefix: a.metadataPrefix, set: a.set, from: a.from?.lowerBound,
                until: a.until?.upperBound, lastDatestamp: 0, lastIvoid: "", cursor: 0, completeListSize: 0, issued: now)
        }
        let format = try Self.format(state.metadataPrefix)
        let filter = OAIListFilter(from: state.from, until: state.until, managedOnly: state.set != nil)
        if state.cursor == 0 {
            state.completeListSize = try repository.count(filter)
            guard state.completeListSize > 0 else {
                throw OAIError.noRecordsMatch("no records match the arguments")
            }
        }
        let after = state.cursor == 0 ? nil : (datestamp: state.lastDatestamp, ivoid: state.lastIvoid)
        var sent = 0
        var last: OAIItem?
        // xs:ID values must be unique in a document: a record declaring an ID already on this
        // page starts the next page instead (never the first record of a page).
        var pageIDs = Set<Substring>()
        let more = try repository.forEachItem(filter, after: after, limit: c.pageSize, withXML: verb == .listRecords) {
            item in
            if !item.xmlIDs.isEmpty {
                if sent > 0, item.xmlIDs.contains(where: pageIDs.contains) { return false }
                pageIDs.formUnion(item.xmlIDs)
            }
            if sent == 0 { start() }
            if verb == .listRecords { w.record(item, format: format) } else { w.header(item) }
            sent += 1
            last = item
            return true
        }
        guard let last else { throw OAIError.noRecordsMatch("no records remain in this list") }
        let cursor = state.cursor
        let size = max(state.completeListSize, cursor + sent + (more ? 1 : 0))
        if more {
            let next = ResumptionToken(
                verb: verb, metadataPrefix: state.metadataPrefix, set: state.set, from: state.from, until: state.until,
                lastDatestamp: last.datestamp, lastIvoid: last.ivoid, cursor: cursor + sent, completeListSize: size,
                issued: now)
            w.resumptionToken(
                next.encoded(), cursor: cursor, completeListSize: size,
                expirationDate: next.expirationDate(lifetime: c.tokenLifetime))
        } else if cursor > 0 {
            w.resumptionToken(nil, cursor: cursor, completeListSize: size, expirationDate: nil)
        }
    }
}
